package dev.hotpot;

import dev.hotpot.heap.Heap;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.ValueSlots;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static dev.hotpot.BPlusNode.ENTRIES;
import static dev.hotpot.BPlusNode.ENTRY_BYTES;
import static dev.hotpot.BPlusNode.ENTRY_KEY;
import static dev.hotpot.BPlusNode.ENTRY_VALUE;
import static dev.hotpot.BPlusNode.INNER_CAPACITY;
import static dev.hotpot.BPlusNode.KEY_SLOT;
import static dev.hotpot.BPlusNode.LEAF_CAPACITY;
import static dev.hotpot.BPlusNode.NEXT;
import static dev.hotpot.BPlusNode.ORDER;
import static dev.hotpot.BPlusNode.SEPARATOR_BYTES;
import static dev.hotpot.BPlusNode.USED;
import static dev.hotpot.BPlusNode.child;
import static dev.hotpot.BPlusNode.count;
import static dev.hotpot.BPlusNode.level;
import static dev.hotpot.BPlusNode.separator;
import static dev.hotpot.BPlusNode.slot;

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

    private static final byte[] ZEROS = new byte[BPlusNode.BYTES];
    /** Far above any real tree: a level is added only when a root with 51 children splits. */
    private static final int MAX_LEVEL = 32;

    private final Heap heap;
    private final long map;
    /**
     * Changes made through this handle in this JVM (never stored): iterators keep a batch of
     * entries only while it is unchanged. One handle exists per map per JVM, so it sees every change.
     */
    private final LongAdder changes = new LongAdder();

    BPlusTree(Heap heap, long map) {
        this.heap = heap;
        this.map = map;
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
    }

    /** The way from the root to a key's leaf: each inner node, the child taken and its child count. */
    private static final class Path {
        final long[] nodes;
        final int[] slots;
        final int[] counts;
        final int depth;
        long leaf;
        int count;
        /** The key's index in the leaf, or {@code -(insertion point) - 1}. */
        int index;

        Path(int depth) {
            this.depth = depth;
            this.nodes = new long[depth];
            this.slots = new int[depth];
            this.counts = new int[depth];
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

    /** The value of {@code key}, or {@link #ABSENT}. */
    Object get(SortKey key) {
        requireKind(key);
        long root = heap.getLong(map + ROOT);
        if (root == 0) {
            return ABSENT;
        }
        Path path = locate(root, key);
        return path.index < 0 ? ABSENT : ValueSlots.read(entry(path) + ENTRY_VALUE);
    }

    /**
     * Places the cursor on the entry in {@code relation} ({@link #LOWER}, {@link #FLOOR},
     * {@link #CEILING}, {@link #HIGHER}) to {@code key}; returns false if there is none.
     */
    boolean seek(SortKey key, int relation, Cursor cursor) {
        requireKind(key);
        long root = heap.getLong(map + ROOT);
        if (root == 0) {
            return false;
        }
        Path path = locate(root, key);
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
        long before = predecessorLeaf(path);
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
        long node = heap.getLong(map + ROOT);
        if (node == 0) {
            return false;
        }
        long header = heap.getLong(node);
        while (level(header) > 0) {
            node = heap.getLong(child(node, count(header) - 1));
            header = heap.getLong(node);
        }
        return place(cursor, node, count(header) - 1, count(header));
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

    /** The address of the entry (prefix, key slot, value slot) under the cursor. */
    long entry(Cursor cursor) {
        return entryAt(cursor.leaf, cursor.index);
    }

    /** The address of the {@code index}-th entry of {@code leaf} in key order. */
    private long entryAt(long leaf, int index) {
        return slot(leaf, heap.getByte(leaf + ORDER + index) & 0xFF);
    }

    private long entry(Path path) {
        return entryAt(path.leaf, path.index);
    }

    /**
     * The key at {@code entry} (or a separator). Keys are strings and boxed primitives only, so
     * they are decoded here, without {@code ValueSlots}' general path; a string blob is
     * {@code { int length (chars); int coder; bytes }} (see StringBlobs and docs/format.md).
     */
    Object key(long entry) {
        long kind = heap.getLong(entry + ENTRY_KEY);
        long payload = heap.getLong(entry + ENTRY_KEY + 8);
        return switch ((int) kind) {
            case SortKey.STRING -> {
                long header = heap.getLong(payload);
                int length = (int) header;
                if ((int) (header >>> 32) == SortKey.LATIN1 && length >= 0) {
                    yield new String(heap.getBytes(payload + 8, length), StandardCharsets.ISO_8859_1);
                }
                yield ValueSlots.read(entry + ENTRY_KEY);
            }
            case SortKey.LONG -> payload;
            case SortKey.INT -> (int) payload;
            default -> ValueSlots.read(entry + ENTRY_KEY);
        };
    }

    Object value(long entry) {
        return ValueSlots.read(entry + ENTRY_VALUE);
    }

    /** Whether the key at {@code entry} is below {@code bound} (or equal, when {@code inclusive}). */
    boolean below(long entry, SortKey bound, boolean inclusive) {
        int c = compare(bound, entry);
        return c > 0 || (c == 0 && inclusive);
    }

    /** Whether the key at {@code entry} is above {@code bound} (or equal, when {@code inclusive}). */
    boolean above(long entry, SortKey bound, boolean inclusive) {
        int c = compare(bound, entry);
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
                return new Count(total, key(entryAt(leaf, 0)));
            }
            int count = count(heap.getLong(leaf));
            if (high == null || below(entryAt(leaf, count - 1), high, highInclusive)) {
                total += count - from;
                leaf = heap.getLong(leaf + NEXT);
                from = 0;
            } else {
                int found = search(leaf, count, high);
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
            long leaf = newNode(0);
            insertIntoLeaf(leaf, 0, new byte[0], 0, key, value);
            heap.putLong(map + ROOT, leaf);
            heap.putLong(map + KEY_KIND, key.kind);
            return ABSENT;
        }
        Path path = locate(root, key);
        if (path.index >= 0) {
            long slot = entry(path) + ENTRY_VALUE;
            Object old = ValueSlots.read(slot);
            ValueSlots.write(slot, value);
            return old;
        }
        insert(path, -path.index - 1, key, value);
        return ABSENT;
    }

    /** Removes the mapping of {@code key}; returns its old value or {@link #ABSENT}. */
    Object remove(SortKey key) {
        requireKind(key);
        long root = heap.getLong(map + ROOT);
        if (root == 0) {
            return ABSENT;
        }
        Path path = locate(root, key);
        if (path.index < 0) {
            return ABSENT;
        }
        changes.increment();
        long leaf = path.leaf;
        int index = path.index;
        int count = path.count;
        int slot = heap.getByte(leaf + ORDER + index) & 0xFF;
        long entry = slot(leaf, slot);
        Object old = ValueSlots.read(entry + ENTRY_VALUE);
        ValueSlots.release(entry + ENTRY_KEY);
        ValueSlots.release(entry + ENTRY_VALUE);
        if (count == 1) {
            dropLeaf(path);
            return old;
        }
        zero(entry, ENTRY_BYTES);
        heap.putLong(leaf + USED, heap.getLong(leaf + USED) & ~(1L << slot));
        byte[] tail = new byte[count - index];
        heap.getBytes(leaf + ORDER + index + 1, tail, 0, count - index - 1);
        heap.putBytes(leaf + ORDER + index, tail);
        heap.putLong(leaf, BPlusNode.header(count - 1, 0));
        return old;
    }

    /** Frees every node and what their slots own; the map is then empty. */
    void clear() {
        long root = heap.getLong(map + ROOT);
        if (root == 0) {
            return;
        }
        changes.increment();
        freeSubtree(root);
        heap.putLong(map + ROOT, 0);
        heap.putLong(map + KEY_KIND, 0);
    }

    // ---- descent ------------------------------------------------------------------------------

    private Path locate(long root, SortKey key) {
        long node = root;
        long header = heap.getLong(node);
        int level = level(header);
        if (level < 0 || level > MAX_LEVEL) {
            throw new HeapCorruptException("the root of PersistentSortedMap at address=" + map + " has level=" + level
                    + "; the heap is damaged: restore it from a copy");
        }
        Path path = new Path(level);
        for (int j = 0; j < path.depth; j++) {
            int count = checkedCount(node, header, level);
            int slot = childIndex(node, count, key);
            path.nodes[j] = node;
            path.slots[j] = slot;
            path.counts[j] = count;
            node = heap.getLong(child(node, slot));
            header = heap.getLong(node);
            level--;
        }
        path.leaf = node;
        path.count = checkedCount(node, header, 0);
        path.index = search(node, path.count, key);
        return path;
    }

    /** The child of {@code inner} whose keys may include {@code key}: the number of separators at most {@code key}. */
    private int childIndex(long inner, int count, SortKey key) {
        int low = 0;
        int high = count - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(key, separator(inner, mid)) >= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The index of {@code key} in {@code leaf}, or {@code -(insertion point) - 1}. */
    private int search(long leaf, int count, SortKey key) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(key, entryAt(leaf, mid));
            if (c > 0) {
                low = mid + 1;
            } else if (c < 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /**
     * Compares {@code key} with the key stored at {@code at} (a leaf entry or a separator: a
     * prefix, then a key slot). Equal prefixes of strings are settled on the blob's bytes in
     * place, without making a {@code String}, when both are stored with the same coder.
     */
    private int compare(SortKey key, long at) {
        long prefix = heap.getLong(at + BPlusNode.PREFIX_HIGH);
        if (prefix != key.prefixHigh) {
            return Long.compareUnsigned(key.prefixHigh, prefix);
        }
        if (key.words == null) {
            return 0;
        }
        prefix = heap.getLong(at + BPlusNode.PREFIX_LOW);
        if (prefix != key.prefixLow) {
            return Long.compareUnsigned(key.prefixLow, prefix);
        }
        // A string blob: { int length (chars); int coder; bytes } (see StringBlobs and docs/format.md).
        long blob = heap.getLong(at + KEY_SLOT + 8);
        long blobHeader = heap.getLong(blob);
        int length = (int) blobHeader;
        int coder = (int) (blobHeader >>> 32);
        if (coder != key.coder) {
            return ((String) key.key).compareTo((String) ValueSlots.read(at + KEY_SLOT));
        }
        int storedBytes = coder == SortKey.LATIN1 ? length : 2 * length;
        int common = Math.min(key.byteLength, storedBytes);
        for (int offset = 0, word = 0; offset < common; offset += 8, word++) {
            long stored = Long.reverseBytes(heap.getLong(blob + 8 + offset));
            long probe = key.words[word];
            int valid = common - offset;
            if (valid < 8) {
                long mask = -1L << (8 * (8 - valid));
                stored &= mask;
                probe &= mask;
            }
            if (stored != probe) {
                return Long.compareUnsigned(probe, stored);
            }
        }
        return Integer.compare(key.byteLength, storedBytes);
    }

    private long predecessorLeaf(Path path) {
        for (int j = path.depth - 1; j >= 0; j--) {
            if (path.slots[j] > 0) {
                long node = heap.getLong(child(path.nodes[j], path.slots[j] - 1));
                long header = heap.getLong(node);
                while (level(header) > 0) {
                    node = heap.getLong(child(node, count(header) - 1));
                    header = heap.getLong(node);
                }
                return node;
            }
        }
        return 0;
    }

    private int checkedCount(long node, long header, int level) {
        int count = count(header);
        int capacity = level == 0 ? LEAF_CAPACITY : INNER_CAPACITY;
        if (level(header) != level || count < 1 || count > capacity) {
            throw new HeapCorruptException("B+-tree node at address=" + node + " of PersistentSortedMap at address=" + map
                    + " has level=" + level(header) + " count=" + count + " where level=" + level
                    + " and a count of 1 to " + capacity + " belong; the heap is damaged: restore it from a copy");
        }
        return count;
    }

    private static boolean place(Cursor cursor, long leaf, int index, int count) {
        cursor.leaf = leaf;
        cursor.index = index;
        cursor.count = count;
        return true;
    }

    // ---- insertion ----------------------------------------------------------------------------

    /** A separator on its way into an inner node: a new key to store, or the stored bytes of a moved one. */
    private record Separator(Object key, byte[] stored) {
        static Separator fresh(Object key) {
            return new Separator(key, null);
        }

        static Separator moved(byte[] stored) {
            return new Separator(null, stored);
        }
    }

    private void insert(Path path, int index, SortKey key, Object value) {
        long leaf = path.leaf;
        int count = path.count;
        byte[] order = heap.getBytes(leaf + ORDER, count);
        if (count < LEAF_CAPACITY) {
            insertIntoLeaf(leaf, count, order, index, key, value);
            return;
        }
        // Split: an append at the end of the last leaf leaves it full (ascending loads fill leaves);
        // anywhere else the upper half of the keys moves to the new right leaf, in order.
        long next = heap.getLong(leaf + NEXT);
        int keep = next == 0 && index == count ? count : (count + 1) / 2;
        int moved = count - keep;
        long right = newNode(0);
        if (moved > 0) {
            byte[] leftSlots = heap.getBytes(leaf + ENTRIES, LEAF_CAPACITY * ENTRY_BYTES);
            byte[] rightSlots = new byte[moved * ENTRY_BYTES];
            byte[] rightOrder = new byte[moved];
            long leftUsed = heap.getLong(leaf + USED);
            for (int i = 0; i < moved; i++) {
                int slot = order[keep + i] & 0xFF;
                System.arraycopy(leftSlots, slot * ENTRY_BYTES, rightSlots, i * ENTRY_BYTES, ENTRY_BYTES);
                Arrays.fill(leftSlots, slot * ENTRY_BYTES, (slot + 1) * ENTRY_BYTES, (byte) 0);
                leftUsed &= ~(1L << slot);
                rightOrder[i] = (byte) i;
            }
            heap.putBytes(right + ENTRIES, rightSlots);
            heap.putBytes(right + ORDER, rightOrder);
            heap.putLong(right + USED, (1L << moved) - 1);
            heap.putBytes(leaf + ENTRIES, leftSlots);
            heap.putBytes(leaf + ORDER + keep, new byte[moved]);
            heap.putLong(leaf + USED, leftUsed);
        }
        heap.putLong(right + NEXT, next);
        heap.putLong(leaf + NEXT, right);
        heap.putLong(leaf, BPlusNode.header(keep, 0));
        heap.putLong(right, BPlusNode.header(moved, 0));
        if (index < keep) {
            insertIntoLeaf(leaf, keep, order, index, key, value);
        } else {
            byte[] rightOrder = new byte[moved];
            for (int i = 0; i < moved; i++) {
                rightOrder[i] = (byte) i;
            }
            insertIntoLeaf(right, moved, rightOrder, index - keep, key, value);
        }
        int leftCount = index < keep ? keep + 1 : keep;
        Object leftLast = key(entryAt(leaf, leftCount - 1));
        Object rightFirst = key(entryAt(right, 0));
        Object separator = leftLast instanceof String l ? SortKey.shortestSeparator(l, (String) rightFirst) : rightFirst;
        insertChild(path, path.depth - 1, Separator.fresh(separator), right);
    }

    /**
     * Puts a new entry into a free slot of a leaf that is not full and makes it the
     * {@code index}-th key; {@code order} holds the leaf's first {@code count} order bytes.
     */
    private void insertIntoLeaf(long leaf, int count, byte[] order, int index, SortKey key, Object value) {
        long used = heap.getLong(leaf + USED);
        int slot = Long.numberOfTrailingZeros(~used);
        writeEntry(slot(leaf, slot), key, value);
        heap.putLong(leaf + USED, used | 1L << slot);
        byte[] tail = new byte[count + 1 - index];
        tail[0] = (byte) slot;
        System.arraycopy(order, index, tail, 1, count - index);
        heap.putBytes(leaf + ORDER + index, tail);
        heap.putLong(leaf, BPlusNode.header(count + 1, 0));
    }

    /** Adds {@code child} right after the child taken at level {@code j} of the path, with {@code separator} before it. */
    private void insertChild(Path path, int j, Separator separator, long child) {
        if (j < 0) {
            long oldRoot = heap.getLong(map + ROOT);
            int level = level(heap.getLong(oldRoot)) + 1;
            long root = newNode(level);
            heap.putLong(child(root, 0), oldRoot);
            heap.putLong(child(root, 1), child);
            writeSeparator(separator(root, 0), separator);
            heap.putLong(root, BPlusNode.header(2, level));
            heap.putLong(map + ROOT, root);
            return;
        }
        long node = path.nodes[j];
        int count = path.counts[j];
        int at = path.slots[j] + 1;
        int level = path.depth - j;
        if (count < INNER_CAPACITY) {
            move(child(node, at), child(node, at + 1), 8 * (count - at));
            move(separator(node, at - 1), separator(node, at), SEPARATOR_BYTES * (count - at));
            heap.putLong(child(node, at), child);
            writeSeparator(separator(node, at - 1), separator);
            heap.putLong(node, BPlusNode.header(count + 1, level));
            return;
        }
        // Split a full inner node: lay out its count + 1 children and count separators in order,
        // keep the first half, move the rest to a new right node, and push the middle separator up.
        long[] children = new long[count + 1];
        Separator[] separators = new Separator[count];
        for (int i = 0, k = 0; i <= count; i++) {
            children[i] = i == at ? child : heap.getLong(child(node, k++));
        }
        for (int i = 0, k = 0; i < count; i++) {
            separators[i] = i == at - 1 ? separator : Separator.moved(heap.getBytes(separator(node, k++), SEPARATOR_BYTES));
        }
        boolean rightmost = at == count;
        for (int i = 0; i < j && rightmost; i++) {
            rightmost = path.slots[i] == path.counts[i] - 1;
        }
        int keep = rightmost ? count : (count + 1) / 2;
        long right = newNode(level);
        zero(child(node, 0), 8 * INNER_CAPACITY);
        zero(separator(node, 0), SEPARATOR_BYTES * (INNER_CAPACITY - 1));
        for (int i = 0; i < keep; i++) {
            heap.putLong(child(node, i), children[i]);
        }
        for (int i = 0; i < keep - 1; i++) {
            writeSeparator(separator(node, i), separators[i]);
        }
        for (int i = keep; i <= count; i++) {
            heap.putLong(child(right, i - keep), children[i]);
        }
        for (int i = keep; i < count; i++) {
            writeSeparator(separator(right, i - keep), separators[i]);
        }
        heap.putLong(node, BPlusNode.header(keep, level));
        heap.putLong(right, BPlusNode.header(count + 1 - keep, level));
        insertChild(path, j - 1, separators[keep - 1], right);
    }

    private void writeSeparator(long at, Separator separator) {
        if (separator.stored() != null) {
            heap.putBytes(at, separator.stored());
            return;
        }
        heap.putLong(at + BPlusNode.PREFIX_HIGH, SortKey.prefixHigh(separator.key()));
        heap.putLong(at + BPlusNode.PREFIX_LOW, SortKey.prefixLow(separator.key()));
        writeSlot(at + KEY_SLOT, separator.key());
    }

    private void writeEntry(long entry, SortKey key, Object value) {
        heap.putLong(entry + BPlusNode.PREFIX_HIGH, key.prefixHigh);
        heap.putLong(entry + BPlusNode.PREFIX_LOW, key.prefixLow);
        writeSlot(entry + ENTRY_KEY, key.key);
        writeSlot(entry + ENTRY_VALUE, value);
    }

    /**
     * Writes a value into a slot whose bytes may be a stale copy of a slot that moved (its string
     * now owned elsewhere): the kind goes to null first, so the write frees nothing.
     */
    private void writeSlot(long slot, Object value) {
        heap.putLong(slot, 0);
        ValueSlots.write(slot, value);
    }

    private long newNode(int level) {
        long node = heap.allocate(BPlusNode.BYTES);
        heap.putLong(node, BPlusNode.header(0, level));
        return node;
    }

    // ---- removal ------------------------------------------------------------------------------

    /** Unlinks and frees the path's leaf, which held one entry that is gone, and its emptied parents. */
    private void dropLeaf(Path path) {
        long leaf = path.leaf;
        if (path.depth == 0) {
            heap.free(leaf);
            heap.putLong(map + ROOT, 0);
            heap.putLong(map + KEY_KIND, 0);
            return;
        }
        long before = predecessorLeaf(path);
        if (before != 0) {
            heap.putLong(before + NEXT, heap.getLong(leaf + NEXT));
        }
        heap.free(leaf);
        removeChild(path, path.depth - 1);
    }

    /** Removes the child taken at level {@code j} of the path (already freed) and the separator next to it. */
    private void removeChild(Path path, int j) {
        long node = path.nodes[j];
        int count = path.counts[j];
        int slot = path.slots[j];
        if (count == 1) {
            heap.free(node);
            if (j == 0) {
                heap.putLong(map + ROOT, 0);
                heap.putLong(map + KEY_KIND, 0);
            } else {
                removeChild(path, j - 1);
            }
            return;
        }
        int gone = slot > 0 ? slot - 1 : 0;
        ValueSlots.release(separator(node, gone) + KEY_SLOT);
        move(child(node, slot + 1), child(node, slot), 8 * (count - 1 - slot));
        heap.putLong(child(node, count - 1), 0);
        move(separator(node, gone + 1), separator(node, gone), SEPARATOR_BYTES * (count - 2 - gone));
        zero(separator(node, count - 2), SEPARATOR_BYTES);
        heap.putLong(node, BPlusNode.header(count - 1, path.depth - j));
        if (j == 0 && count - 1 == 1) {
            collapseRoot();
        }
    }

    /** Replaces a root with one child by that child, as often as it takes. */
    private void collapseRoot() {
        long root = heap.getLong(map + ROOT);
        long header = heap.getLong(root);
        while (level(header) > 0 && count(header) == 1) {
            long only = heap.getLong(child(root, 0));
            heap.free(root);
            root = only;
            header = heap.getLong(root);
        }
        heap.putLong(map + ROOT, root);
    }

    private void freeSubtree(long node) {
        long header = heap.getLong(node);
        int count = checkedCount(node, header, level(header));
        if (level(header) == 0) {
            for (long used = heap.getLong(node + USED); used != 0; used &= used - 1) {
                long entry = slot(node, Long.numberOfTrailingZeros(used));
                ValueSlots.release(entry + ENTRY_KEY);
                ValueSlots.release(entry + ENTRY_VALUE);
            }
        } else {
            for (int i = 0; i < count; i++) {
                freeSubtree(heap.getLong(child(node, i)));
            }
            for (int j = 0; j < count - 1; j++) {
                ValueSlots.release(separator(node, j) + KEY_SLOT);
            }
        }
        heap.free(node);
    }

    private void move(long from, long to, int bytes) {
        if (bytes > 0) {
            heap.putBytes(to, heap.getBytes(from, bytes));
        }
    }

    private void zero(long at, int bytes) {
        if (bytes > 0) {
            heap.putBytes(at, ZEROS, 0, bytes);
        }
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
        long root = heap.getLong(map + ROOT);
        long kind = keyKind();
        if (root == 0) {
            check(kind == 0, "an empty map has keyKind=" + kind);
            return new Shape(0, 0, 0, 0);
        }
        check(kind >= SortKey.STRING && kind <= SortKey.DOUBLE, "keyKind=" + kind + " is not a key kind");
        int depth = level(heap.getLong(root));
        check(depth == 0 || count(heap.getLong(root)) >= 2, "an inner root has one child");
        List<Long> leaves = new ArrayList<>();
        long[] counts = new long[2];
        walk(root, depth, null, null, kind, leaves, counts);
        long leaf = leaves.getFirst();
        Object previous = null;
        for (int i = 0; i < leaves.size(); i++) {
            check(leaf == leaves.get(i), "leaf chain reaches address=" + leaf + " where leaf " + i + " of the tree is "
                    + leaves.get(i));
            Object firstKey = key(entryAt(leaf, 0));
            check(previous == null || SortKey.compare(previous, firstKey) < 0, "leaf " + i + " starts with " + firstKey
                    + " after " + previous);
            previous = key(entryAt(leaf, count(heap.getLong(leaf)) - 1));
            leaf = heap.getLong(leaf + NEXT);
        }
        check(leaf == 0, "the last leaf links to address=" + leaf);
        return new Shape(depth + 1, leaves.size(), counts[0], counts[1]);
    }

    private void walk(long node, int level, Object low, Object high, long kind, List<Long> leaves, long[] counts) {
        long header = heap.getLong(node);
        check(level(header) == level, "node at address=" + node + " has level=" + level(header) + " where " + level
                + " belongs (leaves at different depths)");
        int count = count(header);
        String where = "node at address=" + node + " level=" + level;
        if (level == 0) {
            check(count >= 1 && count <= LEAF_CAPACITY, where + " has count=" + count);
            long used = heap.getLong(node + USED);
            check(Long.bitCount(used) == count && used >>> LEAF_CAPACITY == 0, where + " has used=" + Long.toHexString(used)
                    + " for count=" + count);
            byte[] order = heap.getBytes(node + ORDER, ENTRIES - ORDER);
            long listed = 0;
            Object previous = null;
            for (int i = 0; i < count; i++) {
                int slot = order[i] & 0xFF;
                check(slot < LEAF_CAPACITY && (used >>> slot & 1) == 1 && (listed >>> slot & 1) == 0, where + ": order["
                        + i + "]=" + slot + " is not a used slot listed once");
                listed |= 1L << slot;
                long entry = slot(node, slot);
                Object key = checkedKey(entry, kind, where + " entry " + i);
                check(previous == null || SortKey.compare(previous, key) < 0, where + ": key " + key + " after " + previous);
                check(low == null || SortKey.compare(low, key) <= 0, where + ": key " + key + " below separator " + low);
                check(high == null || SortKey.compare(key, high) < 0, where + ": key " + key + " not below separator " + high);
                previous = key;
            }
            for (int i = count; i < order.length; i++) {
                check(order[i] == 0, where + ": order[" + i + "] past count is not 0");
            }
            for (int slot = 0; slot < LEAF_CAPACITY; slot++) {
                if ((used >>> slot & 1) == 0) {
                    checkZero(slot(node, slot), ENTRY_BYTES, where + " unused slot " + slot);
                }
            }
            leaves.add(node);
            counts[1] += count;
            return;
        }
        check(count >= 1 && count <= INNER_CAPACITY, where + " has count=" + count);
        check(heap.getLong(node + NEXT) == 0, where + " has a next link");
        counts[0]++;
        Object[] separators = new Object[count - 1];
        for (int i = 0; i < count - 1; i++) {
            Object separator = checkedKey(separator(node, i), kind, where + " separator " + i);
            check(i == 0 || SortKey.compare(separators[i - 1], separator) < 0, where + ": separators not ascending");
            check(low == null || SortKey.compare(low, separator) < 0, where + ": separator " + separator + " <= " + low);
            check(high == null || SortKey.compare(separator, high) < 0, where + ": separator " + separator + " >= " + high);
            separators[i] = separator;
        }
        checkZero(child(node, count), 8 * (INNER_CAPACITY - count), where + " past its children");
        checkZero(separator(node, count - 1), SEPARATOR_BYTES * (INNER_CAPACITY - count), where + " past its separators");
        for (int i = 0; i < count; i++) {
            long child = heap.getLong(child(node, i));
            check(child != 0, where + ": child " + i + " is 0");
            walk(child, level - 1, i == 0 ? low : separators[i - 1], i == count - 1 ? high : separators[i], kind, leaves,
                    counts);
        }
    }

    private Object checkedKey(long at, long kind, String where) {
        long slotKind = heap.getLong(at + KEY_SLOT);
        check(slotKind == kind, where + " has slot kind=" + slotKind + " in a map of keyKind=" + kind);
        Object key = ValueSlots.read(at + KEY_SLOT);
        check(heap.getLong(at + BPlusNode.PREFIX_HIGH) == SortKey.prefixHigh(key)
                && heap.getLong(at + BPlusNode.PREFIX_LOW) == SortKey.prefixLow(key), where + ": stored prefix does not match key " + key);
        return key;
    }

    private void checkZero(long at, int bytes, String where) {
        if (bytes > 0) {
            byte[] stored = heap.getBytes(at, bytes);
            for (byte b : stored) {
                check(b == 0, where + ": unused bytes are not zero");
            }
        }
    }

    private void check(boolean holds, String violation) {
        if (!holds) {
            throw new IllegalStateException("B+-tree of PersistentSortedMap at address=" + map + ": " + violation);
        }
    }
}
