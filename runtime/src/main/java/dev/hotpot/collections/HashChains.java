package dev.hotpot.collections;

import dev.hotpot.heap.Heap;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.ValueSlots;

import java.util.List;

/**
 * The storage of one {@link PersistentMap}: a separately chained hash table of entries, each a
 * heap block with a key slot and a value slot (the diagram is in {@link PersistentMap}).
 *
 * <p>Invariants: {@code size} is the number of entries reachable from the table; every entry sits
 * in bucket {@code hash & (capacity - 1)}; {@code size <= capacity * 3 / 4} after every insert;
 * a map without a table has size 0 and capacity 0. Entries never move between blocks, so an entry
 * address stays valid until its mapping is removed.
 *
 * <p>Threading: every method must be called inside a transaction of the heap.
 */
final class HashChains {
    static final int SIZE = 8;
    static final int TABLE = 16;
    static final int CAPACITY = 24;
    private static final int MODIFICATIONS = 32;
    private static final int OBJECT_BYTES = 40;

    static final long NEXT = 0;
    static final long HASH = 8;
    static final long KEY = 16;
    static final long VALUE = 32;
    static final long ENTRY_BYTES = 48;
    private static final int FIRST_CAPACITY = 16;

    private final Heap heap;
    private final long map;

    HashChains(Heap heap, long map) {
        this.heap = heap;
        this.map = map;
    }

    static ClassLayout layout(String className) {
        return new ClassLayout(className, OBJECT_BYTES, List.of(
                new FieldLayout("size", "J", SIZE),
                new FieldLayout("table", "J", TABLE),
                new FieldLayout("capacity", "J", CAPACITY),
                new FieldLayout("modifications", "J", MODIFICATIONS)));
    }

    int size() {
        return (int) heap.getLong(map + SIZE);
    }

    /** Counts inserts and removals, so iterators notice structural changes made behind them. */
    long modifications() {
        return heap.getLong(map + MODIFICATIONS);
    }

    /** The entry whose key equals {@code key} (identity for persistent objects), or 0. */
    long find(Object key) {
        long table = heap.getLong(map + TABLE);
        if (table == 0) {
            return 0;
        }
        int hash = hash(key);
        for (long entry = heap.getLong(bucket(table, hash)); entry != 0; entry = heap.getLong(entry + NEXT)) {
            if (heap.getInt(entry + HASH) == hash && ValueSlots.holds(entry + KEY, key)) {
                return entry;
            }
        }
        return 0;
    }

    Object key(long entry) {
        return ValueSlots.read(entry + KEY);
    }

    Object value(long entry) {
        return ValueSlots.read(entry + VALUE);
    }

    boolean holdsValue(long entry, Object value) {
        return ValueSlots.holds(entry + VALUE, value);
    }

    void setValue(long entry, Object value) {
        ValueSlots.write(entry + VALUE, value);
    }

    /** Adds a mapping for a key the map does not hold, growing the table first if it would pass 3/4 full. */
    void insert(Object key, Object value) {
        int size = size();
        long capacity = heap.getLong(map + CAPACITY);
        if (capacity == 0) {
            resize(FIRST_CAPACITY);
        } else if (size + 1 > capacity * 3 / 4) {
            resize(capacity * 2);
        }
        int hash = hash(key);
        long entry = heap.allocate(ENTRY_BYTES); // zeroed: its slots own nothing
        heap.putInt(entry + HASH, hash);
        ValueSlots.init(entry + KEY, key);
        ValueSlots.init(entry + VALUE, value);
        long bucket = bucket(heap.getLong(map + TABLE), hash);
        heap.putLong(entry + NEXT, heap.getLong(bucket));
        heap.putLong(bucket, entry);
        heap.putLong(map + SIZE, size + 1);
        countModification();
    }

    /** Unlinks {@code entry} from its chain and frees it with the string blobs its slots own. */
    void remove(long entry) {
        long link = bucket(heap.getLong(map + TABLE), heap.getInt(entry + HASH));
        for (long at = heap.getLong(link); at != entry; at = heap.getLong(link)) {
            if (at == 0) {
                throw new IllegalStateException("entry address=" + entry + " is not in its bucket of the map at address="
                        + map + "; it was removed already (an iterator or entry used after its mapping was removed)");
            }
            link = at + NEXT;
        }
        heap.putLong(link, heap.getLong(entry + NEXT));
        discard(entry);
        heap.putLong(map + SIZE, size() - 1);
        countModification();
    }

    /** The first entry in iteration order, or 0 for an empty map. */
    long first() {
        return firstFrom(0);
    }

    /** The entry after {@code entry} in iteration order (its chain, then the following buckets), or 0. */
    long after(long entry) {
        long next = heap.getLong(entry + NEXT);
        if (next != 0) {
            return next;
        }
        return firstFrom((heap.getInt(entry + HASH) & (heap.getLong(map + CAPACITY) - 1)) + 1);
    }

    /** Frees every entry, its strings and the table; the map is then empty and has no table. */
    void clear() {
        long table = heap.getLong(map + TABLE);
        if (table == 0) {
            return;
        }
        long capacity = heap.getLong(map + CAPACITY);
        for (long i = 0; i < capacity; i++) {
            long entry = heap.getLong(table + 8 * i);
            while (entry != 0) {
                long next = heap.getLong(entry + NEXT);
                discard(entry);
                entry = next;
            }
        }
        heap.free(table);
        heap.putLong(map + TABLE, 0);
        heap.putLong(map + CAPACITY, 0);
        heap.putLong(map + SIZE, 0);
        countModification();
    }

    private long firstFrom(long bucketIndex) {
        long table = heap.getLong(map + TABLE);
        long capacity = heap.getLong(map + CAPACITY);
        for (long i = bucketIndex; i < capacity; i++) {
            long entry = heap.getLong(table + 8 * i);
            if (entry != 0) {
                return entry;
            }
        }
        return 0;
    }

    /** Moves every entry into a new table of {@code capacity} buckets; entries stay where they are, only links change. */
    private void resize(long capacity) {
        long oldTable = heap.getLong(map + TABLE);
        long oldCapacity = heap.getLong(map + CAPACITY);
        long table = heap.allocate(8 * capacity);
        for (long i = 0; i < oldCapacity; i++) {
            long entry = heap.getLong(oldTable + 8 * i);
            while (entry != 0) {
                long next = heap.getLong(entry + NEXT);
                long bucket = table + 8 * (heap.getInt(entry + HASH) & (capacity - 1));
                heap.putLong(entry + NEXT, heap.getLong(bucket));
                heap.putLong(bucket, entry);
                entry = next;
            }
        }
        if (oldTable != 0) {
            heap.free(oldTable);
        }
        heap.putLong(map + TABLE, table);
        heap.putLong(map + CAPACITY, capacity);
    }

    private void discard(long entry) {
        ValueSlots.freeOwned(heap, entry + KEY);
        ValueSlots.freeOwned(heap, entry + VALUE);
        heap.free(entry);
    }

    private void countModification() {
        heap.putLong(map + MODIFICATIONS, modifications() + 1);
    }

    private long bucket(long table, int hash) {
        return table + 8 * (hash & (heap.getLong(map + CAPACITY) - 1));
    }

    /** The stable hash with its high bits folded in, since only the low bits choose a bucket. */
    private static int hash(Object key) {
        return fold(ValueSlots.stableHash(key));
    }

    /** A stable hash with its high bits folded into the low ones: what an entry stores. */
    static int fold(int stableHash) {
        return stableHash ^ (stableHash >>> 16);
    }
}
