package dev.hotpot.heap;

import dev.hotpot.HeapFullException;

/**
 * Crash-safe allocation of heap blocks. All allocator state lives in the heap (see
 * {@link Superblock}) and changes only inside the caller's transaction, so an allocation is
 * undone by abort, made durable by commit, and after a crash exists exactly if its transaction
 * committed: no leak, no double allocation.
 *
 * <p>Small blocks (up to one chunk) come from arenas with segregated free lists, chosen by thread
 * and, on a cluster, by node ({@link Arenas}), so concurrent allocating transactions rarely
 * touch the same page, and nodes allocating at the same time do not conflict on allocator pages;
 * arenas carve chunks from the global top. Larger blocks are whole pages, reused first-fit from a
 * free list. Freed blocks are not coalesced; fragmentation is recovered by the offline collector.
 *
 * Blocks are as {@link BlockFormat} describes; OBJECT marks blocks that hold a persistent object,
 * so a linear scan of the heap ({@link BlockWalk}) finds every object without trusting payload bytes.
 *
 * <p>Threading: safe from any thread; every method runs in (or joins) a transaction.
 */
final class Allocator {
    static final int HEADER = BlockFormat.HEADER;
    private static final long TAG_ALLOCATED = BlockFormat.TAG_ALLOCATED;
    private static final long TAG_OBJECT = BlockFormat.TAG_OBJECT;
    private static final long TAG_FREE = BlockFormat.TAG_FREE;
    private static final long CHUNK = BlockFormat.CHUNK;

    private final Heap heap;
    private final Arenas arenas;

    Allocator(Heap heap) {
        this.heap = heap;
        this.arenas = new Arenas(heap, bytes -> newPages(wholePages(bytes + HEADER), TAG_ALLOCATED));
    }

    /** Allocates a zeroed block of at least {@code size} bytes and returns its payload address. */
    long allocate(long size) {
        return allocate(size, TAG_ALLOCATED);
    }

    /** As {@link #allocate(long)}, for a block that holds a persistent object. */
    long allocateObject(long size) {
        return allocate(size, TAG_OBJECT);
    }

    private long allocate(long size, long tag) {
        if (size <= 0 || size > heap.size()) {
            throw new IllegalArgumentException("allocation size=" + size + " must be between 1 and the heap size "
                    + heap.size());
        }
        long total = align8(size + HEADER);
        return heap.transaction(() -> total <= CHUNK ? allocateSmall(BlockFormat.classOf(total), tag) : allocateLarge(total, tag));
    }

    /** Frees the block at payload {@code address}; it must be allocated. */
    void free(long address) {
        heap.transaction(() -> {
            long size = sizeOfAllocated(address);
            heap.putLong(address - HEADER, TAG_FREE | size);
            long head = size <= CHUNK ? Superblock.freeHead(arenas.forFree(), BlockFormat.classOf(size))
                    : Superblock.LARGE_FREE_HEAD;
            heap.putLong(address, heap.getLong(head));
            heap.putLong(head, address);
        });
    }

    /** Calls {@code visitor} with the address of every object block, in address order, in one transaction. */
    void forEachObject(java.util.function.LongConsumer visitor) {
        heap.transaction(() -> {
            long bad = BlockWalk.run(heap, BlockWalk.top(heap), (start, header) -> {
                if (BlockFormat.tag(header) == TAG_OBJECT) {
                    visitor.accept(start + HEADER);
                }
            });
            if (bad >= 0) {
                throw new dev.hotpot.HeapCorruptException("heap=" + heap.name() + ": no valid block header at address="
                        + bad + " (word " + Long.toHexString(heap.getLong(bad)) + "); the heap is damaged: restore it"
                        + " from a copy, or find every damage with: hotpot verify " + heap.name());
            }
        });
    }

    /** Usable bytes of the allocated block at {@code address}. */
    long usableSize(long address) {
        return heap.transaction(() -> sizeOfAllocated(address) - HEADER);
    }

    private long sizeOfAllocated(long address) {
        if (address < Superblock.FIRST_DATA_ADDRESS + HEADER || address >= heap.size() || (address & 7) != 0) {
            throw new IllegalArgumentException("address=" + address + " is not a block address of heap="
                    + heap.name());
        }
        long header = heap.getLong(address - HEADER);
        long tag = BlockFormat.tag(header);
        if (tag != TAG_ALLOCATED && tag != TAG_OBJECT) {
            throw new IllegalArgumentException("address=" + address + " is not an allocated block of heap="
                    + heap.name() + (tag == TAG_FREE ? " (it was already freed)" : ""));
        }
        return BlockFormat.size(header);
    }

    private long allocateSmall(int sizeClass, long tag) {
        long blockSize = BlockFormat.classSize(sizeClass);
        long arena = arenas.forAllocation();
        long head = Superblock.freeHead(arena, sizeClass);
        long block = heap.getLong(head);
        if (block != 0) {
            heap.putLong(head, heap.getLong(block));
            heap.putLong(block - HEADER, tag | blockSize);
            zero(block, blockSize - HEADER);
            return block;
        }
        long cursor = heap.getLong(arena + Superblock.ARENA_CHUNK_CURSOR);
        long end = heap.getLong(arena + Superblock.ARENA_CHUNK_END);
        if (cursor + blockSize > end) {
            cursor = takeFromTop(CHUNK, blockSize);
            heap.putLong(arena + Superblock.ARENA_CHUNK_END, cursor + CHUNK);
        }
        heap.putLong(arena + Superblock.ARENA_CHUNK_CURSOR, cursor + blockSize);
        heap.putLong(cursor, tag | blockSize);
        return cursor + HEADER;
    }

    private long allocateLarge(long total, long tag) {
        long blockSize = wholePages(total);
        long link = Superblock.LARGE_FREE_HEAD;
        for (long block = heap.getLong(link); block != 0; link = block, block = heap.getLong(block)) {
            long size = BlockFormat.size(heap.getLong(block - HEADER));
            if (size >= blockSize) {
                heap.putLong(link, heap.getLong(block));
                heap.putLong(block - HEADER, tag | size);
                zero(block, size - HEADER);
                return block;
            }
        }
        return newPages(blockSize, tag);
    }

    /** A block of {@code blockSize} bytes (whole pages) tagged {@code tag}, carved from never-used space. */
    private long newPages(long blockSize, long tag) {
        long start = takeFromTop(blockSize, blockSize);
        heap.putLong(start, tag | blockSize);
        return start + HEADER;
    }

    /** Carves {@code bytes} from never-used space; memory there is still zero. */
    private long takeFromTop(long bytes, long requested) {
        long top = heap.getLong(Superblock.TOP);
        if (top == 0) {
            top = Superblock.FIRST_DATA_ADDRESS;
        }
        if (top + bytes > heap.size()) {
            throw new HeapFullException("heap full: heap=" + heap.name() + " size=" + heap.size() + " used=" + top
                    + " requested=" + requested + "; free unused objects or create a larger heap");
        }
        heap.putLong(Superblock.TOP, top + bytes);
        return top;
    }

    private void zero(long address, long length) {
        for (long at = address; at < address + length; at += 8) {
            heap.putLong(at, 0);
        }
    }

    private static long wholePages(long bytes) {
        return (bytes + Pages.OFFSET_MASK) & ~Pages.OFFSET_MASK;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }
}
