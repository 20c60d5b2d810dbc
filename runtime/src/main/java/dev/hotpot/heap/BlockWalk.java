package dev.hotpot.heap;

/**
 * The linear walk over a heap's blocks: below the allocator's top, the heap is a sequence of
 * blocks, each starting with its header ({@link BlockFormat}), and of never-used chunk tails,
 * which are zero. The walk trusts only block headers, never payload bytes.
 *
 * <p>Threading: stateless; reads through the given reader (inside a transaction of a live heap).
 */
public final class BlockWalk {
    /** Receives each block in address order. */
    @FunctionalInterface
    public interface Visitor {
        /** @param start the address of the block's header; its payload starts {@link BlockFormat#HEADER} later */
        void block(long start, long header);
    }

    private BlockWalk() {
    }

    /** The allocator's top: the first never-allocated address. */
    public static long top(HeapReader heap) {
        long top = heap.getLong(Superblock.TOP);
        return top == 0 ? Superblock.FIRST_DATA_ADDRESS : top;
    }

    /**
     * Visits every block from the first data page to {@code top}, which must lie in the heap.
     *
     * @return the address of the first word that is neither zero nor a valid block header (the
     *         walk stops there, since the blocks after it cannot be found), or -1 when every block
     *         up to {@code top} was visited
     */
    public static long run(HeapReader heap, long top, Visitor visitor) {
        for (long at = Superblock.FIRST_DATA_ADDRESS; at < top; ) {
            long header = heap.getLong(at);
            if (header == 0) {
                at += 8;
                continue;
            }
            if (!BlockFormat.isValid(header, at, top)) {
                return at;
            }
            visitor.block(at, header);
            at += BlockFormat.size(header);
        }
        return -1;
    }
}
