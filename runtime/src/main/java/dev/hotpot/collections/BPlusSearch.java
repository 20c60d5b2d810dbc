package dev.hotpot.collections;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.object.StringBlobs;
import dev.hotpot.object.ValueSlots;

import static dev.hotpot.collections.BPlusNode.ENTRY_KEY;
import static dev.hotpot.collections.BPlusNode.INNER_CAPACITY;
import static dev.hotpot.collections.BPlusNode.KEY_SLOT;
import static dev.hotpot.collections.BPlusNode.LEAF_CAPACITY;
import static dev.hotpot.collections.BPlusNode.ORDER;
import static dev.hotpot.collections.BPlusNode.child;
import static dev.hotpot.collections.BPlusNode.count;
import static dev.hotpot.collections.BPlusNode.level;
import static dev.hotpot.collections.BPlusNode.separator;
import static dev.hotpot.collections.BPlusNode.slot;

/**
 * The reads of one {@link BPlusTree}'s nodes: the descent from the root to a key's leaf (a
 * {@link Path}), binary search in inner nodes and leaves, the comparison of a probe with a stored
 * key, and the decoding of stored keys. It writes nothing.
 *
 * <p>Invariants: a node the descent reaches has the level its parent implies and a count within
 * its capacity, or the heap is damaged ({@link HeapCorruptException}); a {@link Path} is valid
 * only until the tree next changes.
 *
 * <p>Threading: every method must run inside a transaction of the heap.
 */
final class BPlusSearch {
    /** Far above any real tree: a level is added only when a root with 51 children splits. */
    private static final int MAX_LEVEL = 32;

    private final HeapReader heap;
    private final long map;

    /** @param map the address of the map object, for messages */
    BPlusSearch(HeapReader heap, long map) {
        this.heap = heap;
        this.map = map;
    }

    /** The way from the root to a key's leaf: each inner node, the child taken and its child count. */
    static final class Path {
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

    // ---- entries and keys ---------------------------------------------------------------------

    /** The address of the {@code index}-th entry of {@code leaf} in key order. */
    long entryAt(long leaf, int index) {
        return slot(leaf, heap.getByte(leaf + ORDER + index) & 0xFF);
    }

    /** The address of the entry the path found (its {@code index} is not negative). */
    long entry(Path path) {
        return entryAt(path.leaf, path.index);
    }

    /**
     * The key at {@code entry} (or a separator). Keys are strings and boxed primitives only, so
     * the common ones (Latin-1 strings, longs, ints) are decoded here, without {@code ValueSlots}'
     * general path; the rest, and a blob header that is not right, take that path (which needs no object space).
     */
    Object key(long entry) {
        long kind = heap.getLong(entry + ENTRY_KEY);
        long payload = heap.getLong(entry + ENTRY_KEY + 8);
        return switch ((int) kind) {
            case ValueSlots.STRING -> {
                long header = StringBlobs.header(heap, payload);
                int length = StringBlobs.length(header);
                if (StringBlobs.coder(header) == StringBlobs.LATIN1 && length >= 0) {
                    yield StringBlobs.decode(heap.getBytes(StringBlobs.bytes(payload), length), StringBlobs.LATIN1);
                }
                yield ValueSlots.readPlain(heap, entry + ENTRY_KEY);
            }
            case ValueSlots.LONG -> payload;
            case ValueSlots.INT -> (int) payload;
            default -> ValueSlots.readPlain(heap, entry + ENTRY_KEY);
        };
    }

    // ---- descent ------------------------------------------------------------------------------

    /** The way from {@code root} (not 0) to the leaf of {@code key}, and the key's index there. */
    Path locate(long root, SortKey key) {
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
    int search(long leaf, int count, SortKey key) {
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
    int compare(SortKey key, long at) {
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
        long blob = heap.getLong(at + KEY_SLOT + 8);
        long blobHeader = StringBlobs.header(heap, blob);
        int coder = StringBlobs.coder(blobHeader);
        if (coder != key.coder) {
            return ((String) key.key).compareTo((String) ValueSlots.readPlain(heap, at + KEY_SLOT));
        }
        int storedBytes = StringBlobs.byteCount(StringBlobs.length(blobHeader), coder);
        long bytes = StringBlobs.bytes(blob);
        int common = Math.min(key.byteLength, storedBytes);
        for (int offset = 0, word = 0; offset < common; offset += 8, word++) {
            long stored = Long.reverseBytes(heap.getLong(bytes + offset));
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

    /** The leaf left of the path's leaf, or 0 for the first leaf. */
    long predecessorLeaf(Path path) {
        for (int j = path.depth - 1; j >= 0; j--) {
            if (path.slots[j] > 0) {
                return lastLeaf(heap.getLong(child(path.nodes[j], path.slots[j] - 1)));
            }
        }
        return 0;
    }

    /** The rightmost leaf of the subtree under {@code node}. */
    long lastLeaf(long node) {
        long header = heap.getLong(node);
        while (level(header) > 0) {
            node = heap.getLong(child(node, count(header) - 1));
            header = heap.getLong(node);
        }
        return node;
    }

    /**
     * The count in {@code header}, the header of {@code node}, which belongs at {@code level}.
     *
     * @throws HeapCorruptException if the level or the count cannot be right
     */
    int checkedCount(long node, long header, int level) {
        int count = count(header);
        int capacity = level == 0 ? LEAF_CAPACITY : INNER_CAPACITY;
        if (level(header) != level || count < 1 || count > capacity) {
            throw new HeapCorruptException("B+-tree node at address=" + node + " of PersistentSortedMap at address=" + map
                    + " has level=" + level(header) + " count=" + count + " where level=" + level
                    + " and a count of 1 to " + capacity + " belong; the heap is damaged: restore it from a copy");
        }
        return count;
    }
}
