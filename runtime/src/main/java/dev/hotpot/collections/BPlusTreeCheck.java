package dev.hotpot.collections;

import dev.hotpot.collections.BPlusTree.Shape;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.object.ValueSlots;

import java.util.ArrayList;
import java.util.List;

import static dev.hotpot.collections.BPlusNode.ENTRIES;
import static dev.hotpot.collections.BPlusNode.ENTRY_VALUE;
import static dev.hotpot.collections.BPlusNode.ENTRY_BYTES;
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
 * A check of one {@link BPlusTree} against every invariant it and {@link BPlusNode} state, for
 * tests and offline checks: a full walk of the tree and of the leaf chain, O(size of the tree). It
 * writes nothing. Each node, key slot and value slot is shown to the visitor before it is read,
 * so a damaged tree is reported (the first violation ends the check), never followed out of it.
 *
 * <p>Threading: must run inside a transaction of a live heap, or on one thread over a heap image.
 */
final class BPlusTreeCheck {
    /** Far above any real tree: a level is added only when a root with 51 children splits. */
    private static final int MAX_DEPTH = 32;

    private final HeapReader heap;
    private final long map;
    private final BPlusSearch search;
    private final CollectionVisitor visitor;

    /**
     * @param map     the address of the map object whose tree to check
     * @param visitor receives the nodes and slots, and says which may be read
     */
    BPlusTreeCheck(HeapReader heap, long map, CollectionVisitor visitor) {
        this.heap = heap;
        this.map = map;
        this.search = new BPlusSearch(heap, map);
        this.visitor = visitor;
    }

    /** The first broken invariant, at the address of the node (or map) where it was found. */
    static final class Violation extends IllegalStateException {
        private final long address;

        Violation(long address, String message) {
            super(message);
            this.address = address;
        }

        long address() {
            return address;
        }
    }

    /**
     * Checks every structural invariant: node levels and counts, keys strictly ascending in each
     * leaf and along the leaf chain, separators strictly ascending and bounding their subtrees,
     * all leaves at one depth and linked in order, key kinds and prefixes, unused bytes zero.
     *
     * @throws Violation naming the first violation
     */
    Shape run() {
        long root = heap.getLong(map + ROOT);
        long kind = heap.getLong(map + KEY_KIND);
        if (root == 0) {
            check(kind == 0, map, "an empty map has keyKind=" + kind);
            return new Shape(0, 0, 0, 0);
        }
        check(kind >= ValueSlots.STRING && kind <= ValueSlots.DOUBLE, map, "keyKind=" + kind + " is not a key kind");
        checkNode(root, "the root");
        int depth = level(heap.getLong(root));
        check(depth >= 0 && depth <= MAX_DEPTH, root, "the root has level=" + depth);
        check(depth == 0 || count(heap.getLong(root)) >= 2, root, "an inner root has one child");
        List<Long> leaves = new ArrayList<>();
        long[] counts = new long[2];
        walk(root, depth, null, null, kind, leaves, counts);
        long leaf = leaves.getFirst();
        Object previous = null;
        for (int i = 0; i < leaves.size(); i++) {
            check(leaf == leaves.get(i), leaves.get(i), "leaf chain reaches address=" + leaf + " where leaf " + i
                    + " of the tree is " + leaves.get(i));
            Object firstKey = search.key(search.entryAt(leaf, 0));
            check(previous == null || SortKey.compare(previous, firstKey) < 0, leaf, "leaf " + i + " starts with "
                    + firstKey + " after " + previous);
            previous = search.key(search.entryAt(leaf, count(heap.getLong(leaf)) - 1));
            leaf = heap.getLong(leaf + NEXT);
        }
        check(leaf == 0, leaves.getLast(), "the last leaf links to address=" + leaf);
        return new Shape(depth + 1, leaves.size(), counts[0], counts[1]);
    }

    private void walk(long node, int level, Object low, Object high, long kind, List<Long> leaves, long[] counts) {
        long header = heap.getLong(node);
        check(level(header) == level, node, "node at address=" + node + " has level=" + level(header) + " where "
                + level + " belongs (leaves at different depths)");
        int count = count(header);
        String where = "node at address=" + node + " level=" + level;
        if (level == 0) {
            check(count >= 1 && count <= LEAF_CAPACITY, node, where + " has count=" + count);
            long used = heap.getLong(node + USED);
            check(Long.bitCount(used) == count && used >>> LEAF_CAPACITY == 0, node, where + " has used="
                    + Long.toHexString(used) + " for count=" + count);
            byte[] order = heap.getBytes(node + ORDER, ENTRIES - ORDER);
            long listed = 0;
            Object previous = null;
            for (int i = 0; i < count; i++) {
                int slot = order[i] & 0xFF;
                check(slot < LEAF_CAPACITY && (used >>> slot & 1) == 1 && (listed >>> slot & 1) == 0, node, where
                        + ": order[" + i + "]=" + slot + " is not a used slot listed once");
                listed |= 1L << slot;
                long entry = slot(node, slot);
                Object key = checkedKey(entry, kind, node, where + " entry " + i);
                visitor.slot(entry + ENTRY_VALUE, "sorted map value");
                check(previous == null || SortKey.compare(previous, key) < 0, node, where + ": key " + key + " after "
                        + previous);
                check(low == null || SortKey.compare(low, key) <= 0, node, where + ": key " + key + " below separator "
                        + low);
                check(high == null || SortKey.compare(key, high) < 0, node, where + ": key " + key
                        + " not below separator " + high);
                previous = key;
            }
            for (int i = count; i < order.length; i++) {
                check(order[i] == 0, node, where + ": order[" + i + "] past count is not 0");
            }
            for (int slot = 0; slot < LEAF_CAPACITY; slot++) {
                if ((used >>> slot & 1) == 0) {
                    checkZero(slot(node, slot), ENTRY_BYTES, node, where + " unused slot " + slot);
                }
            }
            leaves.add(node);
            counts[1] += count;
            return;
        }
        check(count >= 1 && count <= INNER_CAPACITY, node, where + " has count=" + count);
        check(heap.getLong(node + NEXT) == 0, node, where + " has a next link");
        counts[0]++;
        Object[] separators = new Object[count - 1];
        for (int i = 0; i < count - 1; i++) {
            Object separator = checkedKey(separator(node, i), kind, node, where + " separator " + i);
            check(i == 0 || SortKey.compare(separators[i - 1], separator) < 0, node, where + ": separators not ascending");
            check(low == null || SortKey.compare(low, separator) < 0, node, where + ": separator " + separator + " <= "
                    + low);
            check(high == null || SortKey.compare(separator, high) < 0, node, where + ": separator " + separator + " >= "
                    + high);
            separators[i] = separator;
        }
        checkZero(child(node, count), 8 * (INNER_CAPACITY - count), node, where + " past its children");
        checkZero(separator(node, count - 1), SEPARATOR_BYTES * (INNER_CAPACITY - count), node, where
                + " past its separators");
        for (int i = 0; i < count; i++) {
            long child = heap.getLong(child(node, i));
            check(child != 0, node, where + ": child " + i + " is 0");
            checkNode(child, where + " child " + i);
            walk(child, level - 1, i == 0 ? low : separators[i - 1], i == count - 1 ? high : separators[i], kind, leaves,
                    counts);
        }
    }

    /** Shows {@code node} to the visitor as a node block of the tree; a node that is not one ends the check. */
    private void checkNode(long node, String where) {
        check(visitor.owned(node, BPlusNode.BYTES, "B+-tree node"), node, where + " at address=" + node
                + " is not a node block of its own");
    }

    private Object checkedKey(long at, long kind, long node, String where) {
        long slotKind = heap.getLong(at + KEY_SLOT);
        check(slotKind == kind, node, where + " has slot kind=" + slotKind + " in a map of keyKind=" + kind);
        check(visitor.slot(at + KEY_SLOT, "sorted map key"), node, where + ": the key slot cannot be read");
        Object key = ValueSlots.readPlain(heap, at + KEY_SLOT);
        check(heap.getLong(at + BPlusNode.PREFIX_HIGH) == SortKey.prefixHigh(key)
                && heap.getLong(at + BPlusNode.PREFIX_LOW) == SortKey.prefixLow(key), node, where
                + ": stored prefix does not match key " + key);
        return key;
    }

    private void checkZero(long at, int bytes, long node, String where) {
        if (bytes > 0) {
            byte[] stored = heap.getBytes(at, bytes);
            for (byte b : stored) {
                check(b == 0, node, where + ": unused bytes are not zero");
            }
        }
    }

    private void check(boolean holds, long address, String violation) {
        if (!holds) {
            throw new Violation(address, "B+-tree of PersistentSortedMap at address=" + map + ": " + violation);
        }
    }
}
