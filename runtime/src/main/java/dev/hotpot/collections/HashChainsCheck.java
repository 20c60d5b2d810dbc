package dev.hotpot.collections;

import dev.hotpot.heap.HeapReader;
import dev.hotpot.object.ObjectHeader;
import dev.hotpot.object.ValueSlots;

import static dev.hotpot.collections.HashChains.CAPACITY;
import static dev.hotpot.collections.HashChains.ENTRY_BYTES;
import static dev.hotpot.collections.HashChains.HASH;
import static dev.hotpot.collections.HashChains.KEY;
import static dev.hotpot.collections.HashChains.NEXT;
import static dev.hotpot.collections.HashChains.SIZE;
import static dev.hotpot.collections.HashChains.TABLE;
import static dev.hotpot.collections.HashChains.VALUE;

/**
 * A check of one {@link PersistentMap}'s storage against the invariants {@link HashChains}
 * states: a map without a table is empty with capacity 0; the capacity is a power of two; every
 * entry sits in the bucket its stored hash chooses, and that hash is its key's (for every key kind
 * but enums, whose hash needs the enum's class); {@code size} counts the entries reachable from
 * the table and is at most 3/4 of the capacity. It writes nothing; each block and slot is shown
 * to the visitor before it is read, and a chain stops at an entry the visitor refuses (one that
 * is not a block, or one already seen: a cycle).
 *
 * <p>Threading: must run inside a transaction of a live heap, or on one thread over a heap image.
 */
final class HashChainsCheck {
    /** Far beyond any table a heap can hold: 2^40 buckets are 8 TiB. */
    private static final long MAX_CAPACITY = 1L << 40;

    private final HeapReader heap;
    private final long map;
    private final CollectionVisitor visitor;

    HashChainsCheck(HeapReader heap, long map, CollectionVisitor visitor) {
        this.heap = heap;
        this.map = map;
        this.visitor = visitor;
    }

    void run() {
        long size = heap.getLong(map + SIZE);
        long table = heap.getLong(map + TABLE);
        long capacity = heap.getLong(map + CAPACITY);
        String where = "PersistentMap at address=" + map;
        if (table == 0) {
            if (size != 0 || capacity != 0) {
                visitor.problem(map, where + " has no table but size=" + size + " capacity=" + capacity);
            }
            return;
        }
        if (capacity <= 0 || capacity > MAX_CAPACITY || Long.bitCount(capacity) != 1) {
            visitor.problem(map, where + " has capacity=" + capacity + ", not a power of two");
            return;
        }
        if (!visitor.owned(table, 8 * capacity, "hash table")) {
            return;
        }
        long entries = 0;
        for (long bucket = 0; bucket < capacity; bucket++) {
            for (long entry = heap.getLong(table + 8 * bucket); entry != 0; entry = heap.getLong(entry + NEXT)) {
                if (!visitor.owned(entry, ENTRY_BYTES, "map entry")) {
                    break;
                }
                entries++;
                checkEntry(entry, bucket, capacity, where);
            }
        }
        if (entries != size) {
            visitor.problem(map, where + " has size=" + size + " but its table holds " + entries + " entries");
        }
        if (size > capacity * 3 / 4) {
            visitor.problem(map, where + " has size=" + size + ", more than 3/4 of its capacity=" + capacity);
        }
    }

    private void checkEntry(long entry, long bucket, long capacity, String where) {
        int hash = heap.getInt(entry + HASH);
        if ((hash & (capacity - 1)) != bucket) {
            visitor.problem(entry, where + ": entry with hash=" + hash + " sits in bucket " + bucket
                    + " instead of bucket " + (hash & (capacity - 1)));
        }
        boolean keyReadable = visitor.slot(entry + KEY, "map key");
        boolean valueReadable = visitor.slot(entry + VALUE, "map value");
        if (keyReadable) {
            Integer expected = keyHash(entry + KEY);
            if (expected != null && expected != hash) {
                visitor.problem(entry, where + ": entry stores hash=" + hash + " but its key hashes to " + expected);
            }
        }
        if (keyReadable && valueReadable) {
            visitor.mapping(entry, entry + KEY, entry + VALUE);
        }
    }

    /** The hash an entry with the key in {@code slot} stores, or null for an enum key. */
    private Integer keyHash(long slot) {
        long kind = heap.getLong(slot) & 0xFF;
        if (kind == ValueSlots.ENUM) {
            return null;
        }
        if (kind == ValueSlots.OBJECT) {
            return HashChains.fold(heap.getInt(heap.getLong(slot + 8) + ObjectHeader.IDENTITY));
        }
        return HashChains.fold(ValueSlots.stableHash(ValueSlots.readPlain(heap, slot)));
    }
}
