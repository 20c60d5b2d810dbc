package dev.hotpot.collections;

import dev.hotpot.collections.BPlusSearch.Path;
import dev.hotpot.heap.Heap;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.ValueSlots;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static dev.hotpot.collections.BPlusNode.ENTRY_VALUE;
import static dev.hotpot.collections.BPlusNode.NEXT;
import static dev.hotpot.collections.BPlusNode.child;
import static dev.hotpot.collections.BPlusNode.count;
import static dev.hotpot.collections.BPlusNode.level;

/**
 * The storage of one {@link PersistentSortedMap}: a B+-tree of {@link BPlusNode} blocks under the
 * map object's {@code root}, with leaves linked left to right.
 *
 * <p>Invariants (checked by {@link #checkInvariants}): every leaf is at level 0 and every path
 * from the root to a leaf has the same length; no node is empty: a leaf that loses its last entry
 * is unlinked and freed, an inner node that loses its last child likewise, and a root with one
 * child gives way to that child, so the tree of an empty map is no tree at all ({@code root} 0,
 * {@code keyKind} 0). Underfull nodes are not merged: a node holds between 1 and its capacity
 * entries or children. Every key is of the map's {@code keyKind}. A separator and a key own their
 * own string blobs, so removing a key never invalidates a separator equal to it.
 *
 * <p>Writes of one operation touch the leaf it lands in, and only on a split or an emptied node
 * the nodes above it; the map object is written only when the root changes. Nothing counts
 * operations in the heap, so inserts into different leaves from many threads do not conflict.
 *
 * <p>This class holds the operations the map's views use; the descent and key reads are in
 * {@link BPlusSearch}, the writes of inserts and removals in {@link BPlusTreeWriter}, and the
 * invariant checks in {@link BPlusTreeCheck}.
 *
 * <p>Threading: every method except {@link #changes} must run inside a transaction of the heap.
 */
final class BPlusTree {
    static final int ROOT = 8;
    static final int KEY_KIND = 16;
    static final int OBJECT_BYTES = 24;

    /** Returned by lookups and removals for a key without a mapping (a value may be null). */
    static final Object ABSENT = new Object();

    /** Relations of {@link #seek}. */
    static final int LOWER = 0;
    static final int FLOOR = 1;
    static final int CEILING = 2;
    static final int HIGHER = 3;

    private final Heap heap;
    private final long map;
    /**
     * Changes made through this handle in this JVM (never stored): iterators keep a batch of
     * entries only while it is unchanged. One handle exists per map per JVM, so it sees every change.
     */
    private final LongAdder changes = new LongAdder();
    private final BPlusSearch search;
    private final BPlusTreeWriter writer;

    BPlusTree(Heap heap, long map) {
        this.heap = heap;
        this.map = map;
        this.search = new BPlusSearch(heap, map);
        this.writer = new BPlusTreeWriter(heap, map, search);
    }

    static ClassLayout layout(String className) {
        return new ClassLayout(className, OBJECT_BYTES, List.of(
                new FieldLayout("root", "J", ROOT),
                new FieldLayout("keyKind", "J", KEY_KIND)));
    }

    /** A position in a leaf: its {@code index}-th key; {@code count} is the leaf's entry count when it was read. */
    static final class Cursor {
        long leaf;
        int index;
        int count;

        Cursor copy() {
            Cursor copy = new Cursor();
            copy.leaf = leaf;
            copy.index = index;
            copy.count = count;
            return copy;
        }
    }

    /** Changes so far; not a transaction read, callable anywhere. */
    long changes() {
        return changes.sum();
    }

    boolean isEmpty() {
        return heap.getLong(map + ROOT) == 0;
    }

    long keyKind() {
        return heap.getLong(map + KEY_KIND);
    }

    // ---- lookups ------------------------------------------------------------------------------

    /**
     * @throws ClassCastException if the map holds keys of another kind than {@code key}
     */
    void requireKind(SortKey key) {
        long kind = keyKind();
        if (kind != 0 && kind != key.kind) {
            throw new ClassCastException("a key of class=" + key.key.getClass().getName() + " cannot be used with the "
                    + SortKey.kindName(kind) + " keys of PersistentSortedMap at address=" + map
                    + "; a sorted map holds keys of one class");
        }
    }

    /**
     * The way to {@code key}'s leaf, or null for an empty tree.
     *
     * @throws ClassCastException if the map holds keys of another kind than {@code key}
     */
    private Path locate(SortKey key) {
        requireKind(key);
        long root = heap.getLong(map + ROOT);
        return root == 0 ? null : search.locate(root, key);
    }

    /** The value of {@code key}, or {@link #ABSENT}. */
    Object get(SortKey key) {
        Path path = locate(key);
        return path == null || path.index < 0 ? ABSENT : ValueSlots.read(search.entry(path) + ENTRY_VALUE);
    }

    /**
     * Places the cursor on the entry in {@code relation} ({@link #LOWER}, {@link #FLOOR},
     * {@link #CEILING}, {@link #HIGHER}) to {@code key}; returns false if there is none.
     */
    boolean seek(SortKey key, int relation, Cursor cursor) {
        Path path = locate(key);
        if (path == null) {
            return false;
        }
        boolean found = path.index >= 0;
        int atOrAfter = found ? path.index : -path.index - 1;
        if (relation == CEILING || relation == HIGHER) {
            int target = relation == HIGHER && found ? atOrAfter + 1 : atOrAfter;
            if (target < path.count) {
                return place(cursor, path.leaf, target, path.count);
            }
            long next = heap.getLong(path.leaf + NEXT);
            return next != 0 && place(cursor, next, 0, count(heap.getLong(next)));
        }
        int target = relation == FLOOR && found ? atOrAfter : atOrAfter - 1;
        if (target >= 0) {
            return place(cursor, path.leaf, target, path.count);
        }
        long before = search.predecessorLeaf(path);
        if (before == 0) {
            return false;
        }
        int count = count(heap.getLong(before));
        return place(cursor, before, count - 1, count);
    }

    /** Places the cursor on the smallest key; false for an empty map. */
    boolean first(Cursor cursor) {
        long node = heap.getLong(map + ROOT);
        if (node == 0) {
            return false;
        }
        long header = heap.getLong(node);
        while (level(header) > 0) {
            node = heap.getLong(child(node, 0));
            header = heap.getLong(node);
        }
        return place(cursor, node, 0, count(header));
    }

    /** Places the cursor on the greatest key; false for an empty map. */
    boolean last(Cursor cursor) {
        long root = heap.getLong(map + ROOT);
        if (root == 0) {
            return false;
        }
        long leaf = search.lastLeaf(root);
        int count = count(heap.getLong(leaf));
        return place(cursor, leaf, count - 1, count);
    }

    /** Moves the cursor to the next entry in key order; false at the last one. */
    boolean advance(Cursor cursor) {
        if (cursor.index + 1 < cursor.count) {
            cursor.index++;
            return true;
        }
        long next = heap.getLong(cursor.leaf + NEXT);
        return next != 0 && place(cursor, next, 0, count(heap.getLong(next)));
    }

    private static boolean place(Cursor cursor, long leaf, int index, int count) {
        cursor.leaf = leaf;
        cursor.index = index;
        cursor.count = count;
        return true;
    }

    /** The address of the entry (prefix, key slot, value slot) under the cursor. */
    long entry(Cursor cursor) {
        return search.entryAt(cursor.leaf, cursor.index);
    }

    /** The key at {@code entry}: see {@link BPlusSearch#key}. */
    Object key(long entry) {
        return search.key(entry);
    }

    Object value(long entry) {
        return ValueSlots.read(entry + ENTRY_VALUE);
    }

    /** Whether the key at {@code entry} is below {@code bound} (or equal, when {@code inclusive}). */
    boolean below(long entry, SortKey bound, boolean inclusive) {
        int c = search.compare(bound, entry);
        return c > 0 || (c == 0 && inclusive);
    }

    /** Whether the key at {@code entry} is above {@code bound} (or equal, when {@code inclusive}). */
    boolean above(long entry, SortKey bound, boolean inclusive) {
        int c = search.compare(bound, entry);
        return c < 0 || (c == 0 && inclusive);
    }

    /** Part of a count: the keys counted, and the key to go on from (inclusive), or null when the range is done. */
    record Count(long keys, Object resumeFrom) {
    }

    /**
     * Counts the keys from {@code low} to {@code high} (null: unbounded) in at most
     * {@code maxLeaves} leaves, reading each leaf's count and comparing only at the two ends:
     * O(leaves in the range).
     */
    Count countRange(SortKey low, boolean lowInclusive, SortKey high, boolean highInclusive, int maxLeaves) {
        Cursor cursor = new Cursor();
        if (!(low == null ? first(cursor) : seek(low, lowInclusive ? CEILING : HIGHER, cursor))) {
            return new Count(0, null);
        }
        long total = 0;
        long leaf = cursor.leaf;
        int from = cursor.index;
        for (int leaves = 0; leaf != 0; leaves++) {
            if (leaves == maxLeaves) {
                return new Count(total, key(search.entryAt(leaf, 0)));
            }
            int count = count(heap.getLong(leaf));
            if (high == null || below(search.entryAt(leaf, count - 1), high, highInclusive)) {
                total += count - from;
                leaf = heap.getLong(leaf + NEXT);
                from = 0;
            } else {
                int found = search.search(leaf, count, high);
                int end = found >= 0 ? (highInclusive ? found + 1 : found) : -found - 1;
                total += Math.max(0, end - from);
                break;
            }
        }
        return new Count(total, null);
    }

    // ---- changes ------------------------------------------------------------------------------

    /**
     * Maps {@code key} to {@code value} (which must be storable); returns the old value or
     * {@link #ABSENT}.
     *
     * @throws ClassCastException if the map holds keys of another kind; nothing changed then
     */
    Object put(SortKey key, Object value) {
        requireKind(key);
        long root = heap.getLong(map + ROOT);
        changes.increment();
        if (root == 0) {
            writer.insertFirst(key, value);
            return ABSENT;
        }
        Path path = search.locate(root, key);
        if (path.index >= 0) {
            return replaceValue(path, value);
        }
        writer.insert(path, -path.index - 1, key, value);
        return ABSENT;
    }

    /**
     * Maps {@code key}, if the map holds it, to {@code value} (which must be storable); returns
     * the old value, or {@link #ABSENT} when there is none and nothing changed.
     *
     * @throws ClassCastException if the map holds keys of another kind; nothing changed then
     */
    Object replace(SortKey key, Object value) {
        Path path = locate(key);
        if (path == null || path.index < 0) {
            return ABSENT;
        }
        changes.increment();
        return replaceValue(path, value);
    }

    /** Writes {@code value} into the value slot of the entry the path found; returns the old value. */
    private Object replaceValue(Path path, Object value) {
        long slot = search.entry(path) + ENTRY_VALUE;
        Object old = ValueSlots.read(slot);
        ValueSlots.write(slot, value);
        return old;
    }

    /** Removes the mapping of {@code key}; returns its old value or {@link #ABSENT}. */
    Object remove(SortKey key) {
        Path path = locate(key);
        if (path == null || path.index < 0) {
            return ABSENT;
        }
        changes.increment();
        return writer.remove(path);
    }

    /** Frees every node and what their slots own; the map is then empty. */
    void clear() {
        long root = heap.getLong(map + ROOT);
        if (root == 0) {
            return;
        }
        changes.increment();
        writer.freeSubtree(root);
        writer.makeEmpty();
    }

    // ---- checks -------------------------------------------------------------------------------

    /** What {@link #checkInvariants} found. */
    record Shape(int depth, long leaves, long innerNodes, long entries) {
    }

    /**
     * Checks every structural invariant: node levels and counts, keys strictly ascending in each
     * leaf and along the leaf chain, separators strictly ascending and bounding their subtrees,
     * all leaves at one depth and linked in order, key kinds and prefixes, unused bytes zero.
     *
     * @throws IllegalStateException naming the first violation
     */
    Shape checkInvariants() {
        return new BPlusTreeCheck(heap, map, CollectionVisitor.TRUSTING).run();
    }
}
