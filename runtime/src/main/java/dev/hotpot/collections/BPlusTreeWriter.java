package dev.hotpot.collections;

import dev.hotpot.collections.BPlusSearch.Path;
import dev.hotpot.heap.Heap;
import dev.hotpot.object.ValueSlots;

import java.util.Arrays;

import static dev.hotpot.collections.BPlusNode.ENTRIES;
import static dev.hotpot.collections.BPlusNode.ENTRY_BYTES;
import static dev.hotpot.collections.BPlusNode.ENTRY_KEY;
import static dev.hotpot.collections.BPlusNode.ENTRY_VALUE;
import static dev.hotpot.collections.BPlusNode.INNER_CAPACITY;
import static dev.hotpot.collections.BPlusNode.KEY_SLOT;
import static dev.hotpot.collections.BPlusNode.LEAF_CAPACITY;
import static dev.hotpot.collections.BPlusNode.NEXT;
import static dev.hotpot.collections.BPlusNode.ORDER;
import static dev.hotpot.collections.BPlusNode.SEPARATOR_BYTES;
import static dev.hotpot.collections.BPlusNode.USED;
import static dev.hotpot.collections.BPlusNode.child;
import static dev.hotpot.collections.BPlusNode.count;
import static dev.hotpot.collections.BPlusNode.level;
import static dev.hotpot.collections.BPlusNode.separator;
import static dev.hotpot.collections.BPlusNode.slot;
import static dev.hotpot.collections.BPlusTree.KEY_KIND;
import static dev.hotpot.collections.BPlusTree.ROOT;

/**
 * The writes that change one {@link BPlusTree}: inserting a key into its leaf, splitting full
 * leaves and inner nodes up to a new root; removing a key, unlinking and freeing the leaf and
 * inner nodes it empties and collapsing a root left with one child; freeing a whole subtree.
 *
 * <p>Invariants: {@link #insert} and {@link #remove} leave the tree with the invariants
 * {@link BPlusTree} states, and write the map object only when the root changes. A moved entry or
 * separator keeps its stored bytes, and so its string blob; the slot it leaves is zeroed or
 * overwritten without a free, so nothing is freed twice. The callers locate the key and count
 * the change.
 *
 * <p>Threading: every method must run inside a transaction of the heap.
 */
final class BPlusTreeWriter {
    private static final byte[] ZEROS = new byte[BPlusNode.BYTES];

    private final Heap heap;
    private final long map;
    private final BPlusSearch search;

    /** @param map the address of the map object, whose root this writer replaces */
    BPlusTreeWriter(Heap heap, long map, BPlusSearch search) {
        this.heap = heap;
        this.map = map;
        this.search = search;
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

    /** Makes {@code key} the only key of an empty tree, in a new root leaf. */
    void insertFirst(SortKey key, Object value) {
        long leaf = newNode(0);
        insertIntoLeaf(leaf, 0, new byte[0], 0, key, value);
        heap.putLong(map + ROOT, leaf);
        heap.putLong(map + KEY_KIND, key.kind);
    }

    /**
     * Inserts {@code key}, which the path did not find, as the {@code index}-th key of the path's
     * leaf, splitting the leaf and its parents as needed.
     */
    void insert(Path path, int index, SortKey key, Object value) {
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
        // The moved entries take the right leaf's first slots in key order.
        byte[] rightOrder = new byte[moved];
        for (int i = 0; i < moved; i++) {
            rightOrder[i] = (byte) i;
        }
        if (moved > 0) {
            byte[] leftSlots = heap.getBytes(leaf + ENTRIES, LEAF_CAPACITY * ENTRY_BYTES);
            byte[] rightSlots = new byte[moved * ENTRY_BYTES];
            long leftUsed = heap.getLong(leaf + USED);
            for (int i = 0; i < moved; i++) {
                int slot = order[keep + i] & 0xFF;
                System.arraycopy(leftSlots, slot * ENTRY_BYTES, rightSlots, i * ENTRY_BYTES, ENTRY_BYTES);
                Arrays.fill(leftSlots, slot * ENTRY_BYTES, (slot + 1) * ENTRY_BYTES, (byte) 0);
                leftUsed &= ~(1L << slot);
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
            insertIntoLeaf(right, moved, rightOrder, index - keep, key, value);
        }
        int leftCount = index < keep ? keep + 1 : keep;
        Object leftLast = search.key(search.entryAt(leaf, leftCount - 1));
        Object rightFirst = search.key(search.entryAt(right, 0));
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
        // The slot may be a stale copy of a separator that moved right: it owns nothing.
        ValueSlots.init(at + KEY_SLOT, separator.key());
    }

    private void writeEntry(long entry, SortKey key, Object value) {
        heap.putLong(entry + BPlusNode.PREFIX_HIGH, key.prefixHigh);
        heap.putLong(entry + BPlusNode.PREFIX_LOW, key.prefixLow);
        ValueSlots.init(entry + ENTRY_KEY, key.key);
        ValueSlots.init(entry + ENTRY_VALUE, value);
    }

    private long newNode(int level) {
        long node = heap.allocate(BPlusNode.BYTES);
        heap.putLong(node, BPlusNode.header(0, level));
        return node;
    }

    // ---- removal ------------------------------------------------------------------------------

    /**
     * Removes the entry the path found (its {@code index} is not negative): frees what its slots
     * own, and drops its leaf when it was the leaf's last entry; returns the old value.
     */
    Object remove(Path path) {
        long leaf = path.leaf;
        int index = path.index;
        int count = path.count;
        int slot = heap.getByte(leaf + ORDER + index) & 0xFF;
        long entry = slot(leaf, slot);
        Object old = ValueSlots.read(entry + ENTRY_VALUE);
        // The entry is freed with its leaf or zeroed below.
        ValueSlots.freeOwned(entry + ENTRY_KEY);
        ValueSlots.freeOwned(entry + ENTRY_VALUE);
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

    /** Unlinks and frees the path's leaf, which held one entry that is gone, and its emptied parents. */
    private void dropLeaf(Path path) {
        long leaf = path.leaf;
        if (path.depth == 0) {
            heap.free(leaf);
            makeEmpty();
            return;
        }
        long before = search.predecessorLeaf(path);
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
                makeEmpty();
            } else {
                removeChild(path, j - 1);
            }
            return;
        }
        int gone = slot > 0 ? slot - 1 : 0;
        // The separators after it move over it, and the last place is zeroed.
        ValueSlots.freeOwned(separator(node, gone) + KEY_SLOT);
        move(child(node, slot + 1), child(node, slot), 8 * (count - 1 - slot));
        heap.putLong(child(node, count - 1), 0);
        move(separator(node, gone + 1), separator(node, gone), SEPARATOR_BYTES * (count - 2 - gone));
        zero(separator(node, count - 2), SEPARATOR_BYTES);
        heap.putLong(node, BPlusNode.header(count - 1, path.depth - j));
        if (j == 0 && count - 1 == 1) {
            collapseRoot();
        }
    }

    /** Makes the map object hold the empty tree: root 0, key kind 0 (its last node is freed already). */
    void makeEmpty() {
        heap.putLong(map + ROOT, 0);
        heap.putLong(map + KEY_KIND, 0);
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

    /** Frees {@code node}, everything below it and what their slots own; the caller unlinks it. */
    void freeSubtree(long node) {
        long header = heap.getLong(node);
        int count = search.checkedCount(node, header, level(header));
        if (level(header) == 0) {
            for (long used = heap.getLong(node + USED); used != 0; used &= used - 1) {
                long entry = slot(node, Long.numberOfTrailingZeros(used));
                ValueSlots.freeOwned(entry + ENTRY_KEY);
                ValueSlots.freeOwned(entry + ENTRY_VALUE);
            }
        } else {
            for (int i = 0; i < count; i++) {
                freeSubtree(heap.getLong(child(node, i)));
            }
            for (int j = 0; j < count - 1; j++) {
                ValueSlots.freeOwned(separator(node, j) + KEY_SLOT);
            }
        }
        heap.free(node);
    }

    // ---- bytes ----------------------------------------------------------------------------------

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
}
