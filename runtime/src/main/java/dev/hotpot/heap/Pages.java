package dev.hotpot.heap;

/**
 * Page arithmetic. A page is 4 KiB: the unit of dirty tracking, versioning and, later, caching and
 * replication. Addresses are byte offsets in the heap; 0 is null.
 */
public final class Pages {
    public static final int SHIFT = 12;
    public static final int SIZE = 1 << SHIFT;
    public static final long OFFSET_MASK = SIZE - 1;

    private Pages() {
    }

    public static int pageOf(long address) {
        return (int) (address >>> SHIFT);
    }

    public static long addressOf(int page) {
        return (long) page << SHIFT;
    }

    /** Whether {@code length} bytes at {@code address} lie within one page. */
    public static boolean withinOnePage(long address, int length) {
        return (address & OFFSET_MASK) + length <= SIZE;
    }
}
