package dev.hotpot.collections;

/**
 * Layout of the nodes of a {@link PersistentSortedMap}'s B+-tree: one heap block of
 * {@link #BYTES} bytes per node (an allocator block of 2 KiB with its header), leaf or inner.
 *
 * <pre>
 * node header (16 bytes)
 *   0 int  count    leaf: entries; inner: children (1 or more: a node never stays empty)
 *   4 int  level    0 for a leaf, a parent's level is its children's + 1; the root has the highest
 *   8 long next     leaf: the next leaf to the right, 0 for the last; inner: 0
 *
 * leaf (2040 bytes): entries stay in their slot; the order array says which slot holds the i-th key
 *  16 long used          bit s set: slot s holds an entry (count bits, all below 41)
 *  24 byte order[41]     order[i] = slot of the i-th smallest key, i < count; 0 from count on
 *  65 7 bytes 0
 *  72 + 48 s  slot s:    2 x long prefix   order-preserving 16-byte prefix of the key, high word first (SortKey)
 *                        key slot          16-byte value slot (see ValueSlots): the key, owning its string blob
 *                        value slot        16-byte value slot: the value
 *
 * inner (2024 bytes used): up to 51 children and 50 separators, in key order
 *  16 + 8 i   long child i      address of a node one level down
 * 424 + 32 j  separator j       prefix (2 x long), then a key slot; it lies between child j and child j + 1
 * </pre>
 *
 * Unused leaf slots, children past {@code count} and separators past {@code count - 1} are zero.
 * Keys ascend in a leaf's order and along the leaf chain; separator {@code j} is greater than
 * every key under child {@code j} and at most every key under child {@code j + 1}. Because leaf
 * entries do not move, an insert or a removal writes one slot, the bitmap and the tail of the order
 * array (about 100 bytes of redo), not half a leaf.
 *
 * <p>Threading: constants and address arithmetic only.
 */
final class BPlusNode {
    /** Payload bytes of a node block: 2040 + the allocator's 8-byte header fill a 2 KiB size class exactly. */
    static final int BYTES = 2040;

    // The count (offset 0) and the level (offset 4) are read and written together: see header().
    static final int NEXT = 8;
    static final int HEADER = 16;

    /** Offsets of the prefix words in a separator and in a leaf entry alike. */
    static final int PREFIX_HIGH = 0;
    static final int PREFIX_LOW = 8;
    /** Offset of the key slot in a separator and in a leaf entry alike. */
    static final int KEY_SLOT = 16;

    static final int USED = 16;
    static final int ORDER = 24;
    static final int ENTRIES = 72;
    static final int ENTRY_KEY = KEY_SLOT;
    static final int ENTRY_VALUE = 32;
    static final int ENTRY_BYTES = 48;
    static final int LEAF_CAPACITY = 41;

    static final int CHILDREN = HEADER;
    static final int INNER_CAPACITY = 51;
    static final int SEPARATORS = CHILDREN + 8 * INNER_CAPACITY;
    /** A separator is a prefix and a key slot: the first 32 bytes of a leaf entry's shape. */
    static final int SEPARATOR_BYTES = 32;

    static {
        if (ORDER + LEAF_CAPACITY > ENTRIES || ENTRIES + LEAF_CAPACITY * ENTRY_BYTES > BYTES || LEAF_CAPACITY > 64
                || SEPARATORS + (INNER_CAPACITY - 1) * SEPARATOR_BYTES > BYTES) {
            throw new AssertionError("B+-tree node layout overflows " + BYTES + " bytes");
        }
    }

    private BPlusNode() {
    }

    /** The address of slot {@code s} of a leaf (not its {@code s}-th key: see the order array). */
    static long slot(long leaf, int s) {
        return leaf + ENTRIES + (long) s * ENTRY_BYTES;
    }

    static long child(long inner, int i) {
        return inner + CHILDREN + 8L * i;
    }

    static long separator(long inner, int j) {
        return inner + SEPARATORS + (long) SEPARATOR_BYTES * j;
    }

    /** The header word of a node with {@code count} entries or children at {@code level}. */
    static long header(int count, int level) {
        return (count & 0xFFFF_FFFFL) | (long) level << 32;
    }

    static int count(long header) {
        return (int) header;
    }

    static int level(long header) {
        return (int) (header >>> 32);
    }
}
