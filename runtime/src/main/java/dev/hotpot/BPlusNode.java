package dev.hotpot;

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
 * leaf: 42 entries of 48 bytes from offset 16 (2032 bytes used)
 *  16 + 48 i   2 x long prefix  order-preserving 16-byte prefix of the key, high word first (see SortKey)
 *  32 + 48 i   key slot         16-byte value slot (see ValueSlots): the key, owning its string blob
 *  48 + 48 i   value slot       16-byte value slot: the value
 *
 * inner: up to 51 children and 50 separators (2024 bytes used)
 *  16 + 8 i    long child i     address of a node one level down
 * 424 + 32 j   separator j      prefix (2 x long), then a key slot; it lies between child j and child j + 1
 * </pre>
 *
 * Entries, children and separators at and past {@code count} (separators past {@code count - 1})
 * are zero. Keys are ascending inside a leaf and along the leaf chain; separator {@code j} is
 * greater than every key under child {@code j} and at most every key under child {@code j + 1}.
 *
 * <p>Threading: constants and address arithmetic only.
 */
final class BPlusNode {
    /** Payload bytes of a node block: 2040 + the allocator's 8-byte header fill a 2 KiB size class exactly. */
    static final int BYTES = 2040;

    static final int COUNT = 0;
    static final int LEVEL = 4;
    static final int NEXT = 8;
    static final int HEADER = 16;

    /** Offsets of the prefix words in a separator and in a leaf entry alike. */
    static final int PREFIX_HIGH = 0;
    static final int PREFIX_LOW = 8;
    /** Offset of the key slot in a separator and in a leaf entry alike. */
    static final int KEY_SLOT = 16;

    static final int ENTRY_KEY = KEY_SLOT;
    static final int ENTRY_VALUE = 32;
    static final int ENTRY_BYTES = 48;
    static final int LEAF_CAPACITY = 42;

    static final int CHILDREN = HEADER;
    static final int INNER_CAPACITY = 51;
    static final int SEPARATORS = CHILDREN + 8 * INNER_CAPACITY;
    /** A separator is a prefix and a key slot: the first 32 bytes of a leaf entry's shape. */
    static final int SEPARATOR_BYTES = 32;

    static {
        if (HEADER + LEAF_CAPACITY * ENTRY_BYTES > BYTES
                || SEPARATORS + (INNER_CAPACITY - 1) * SEPARATOR_BYTES > BYTES) {
            throw new AssertionError("B+-tree node layout overflows " + BYTES + " bytes");
        }
    }

    private BPlusNode() {
    }

    static long entry(long leaf, int i) {
        return leaf + HEADER + (long) i * ENTRY_BYTES;
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
