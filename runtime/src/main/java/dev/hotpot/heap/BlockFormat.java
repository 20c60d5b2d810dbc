package dev.hotpot.heap;

import java.util.ArrayList;
import java.util.List;

/**
 * The allocator's block format and size classes.
 *
 * <pre>
 * block: long header { size: bits 0..47 (header included, a multiple of 8), tag: bits 48..63 }, then the payload
 *   tag 0xA10C  ALLOCATED  an allocated block
 *   tag 0x0B1E  OBJECT     an allocated block holding a persistent object (an ObjectHeader first)
 *   tag 0xF4EE  FREE       a free block; its payload starts with the address of the next free block of its list
 * size classes: 16..256 bytes in steps of 16, then four classes per doubling up to one chunk (64 KiB);
 *               larger blocks are whole pages
 * </pre>
 *
 * <p>Threading: constants and pure functions only.
 */
public final class BlockFormat {
    public static final int HEADER = 8;
    public static final long TAG_ALLOCATED = 0xA10CL << 48;
    public static final long TAG_OBJECT = 0x0B1EL << 48;
    public static final long TAG_FREE = 0xF4EEL << 48;
    private static final long SIZE_MASK = (1L << 48) - 1;
    /** Bytes an arena carves from the top at a time; also the largest small block. */
    public static final long CHUNK = 64 * 1024;
    /** The smallest block: a header and one word. */
    public static final long MIN_BLOCK = 16;
    private static final long[] CLASS_SIZES = classSizes();
    public static final int SIZE_CLASSES = CLASS_SIZES.length;

    private BlockFormat() {
    }

    /** The tag bits of a block header. */
    public static long tag(long header) {
        return header & ~SIZE_MASK;
    }

    /** The block size (header included) of a block header. */
    public static long size(long header) {
        return header & SIZE_MASK;
    }

    /** Whether {@code header} is the header of a block that ends by {@code limit} when it starts at {@code at}. */
    public static boolean isValid(long header, long at, long limit) {
        long tag = tag(header);
        long size = size(header);
        return (tag == TAG_ALLOCATED || tag == TAG_OBJECT || tag == TAG_FREE) && size >= MIN_BLOCK && (size & 7) == 0
                && size <= limit - at;
    }

    /** A tag's name for reports: allocated, object, free, or the bits in hex. */
    public static String tagName(long tag) {
        if (tag == TAG_ALLOCATED) {
            return "allocated";
        }
        if (tag == TAG_OBJECT) {
            return "object";
        }
        return tag == TAG_FREE ? "free" : "0x" + Long.toHexString(tag >>> 48);
    }

    /** The block size of size class {@code sizeClass}. */
    public static long classSize(int sizeClass) {
        return CLASS_SIZES[sizeClass];
    }

    /** The smallest size class whose blocks hold {@code total} bytes (header included, at most {@link #CHUNK}). */
    public static int classOf(long total) {
        int low = 0;
        int high = CLASS_SIZES.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (CLASS_SIZES[mid] >= total) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    private static long[] classSizes() {
        List<Long> sizes = new ArrayList<>();
        for (long s = 16; s <= 256; s += 16) {
            sizes.add(s);
        }
        for (long power = 256; power < CHUNK; power *= 2) {
            for (int quarter = 5; quarter <= 8; quarter++) {
                sizes.add(power * quarter / 4);
            }
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }
}
