package dev.hotpot.heap;

import dev.hotpot.HeapFullException;

/**
 * Crash-safe allocation of heap blocks. All allocator state lives in the heap (see
 * {@link Superblock}) and changes only inside the caller's transaction, so an allocation is
 * undone by abort, made durable by commit, and after a crash exists exactly if its transaction
 * committed: no leak, no double allocation.
 *
 * <p>Small blocks (up to one chunk) come from arenas with segregated free lists, chosen by thread
 * and, on a cluster, by node ({@link #arenaIndex}), so concurrent allocating transactions rarely
 * touch the same page, and nodes allocating at the same time do not conflict on allocator pages;
 * arenas carve chunks from the global top. Larger blocks are whole pages, reused first-fit from a free list. Freed blocks are
 * not coalesced; fragmentation is recovered by the offline collector.
 *
 * <pre>
 * block: long header { size: bits 0..47, tag: bits 48..63 (ALLOCATED, OBJECT or FREE) }, then the payload;
 *        a free block's payload starts with the address of the next free block of its list.
 *        OBJECT marks blocks that hold a persistent object (an {@code ObjectHeader} first), so a
 *        linear scan of the heap can find every object without trusting payload bytes.
 * </pre>
 *
 * <p>Threading: safe from any thread; every method runs in (or joins) a transaction.
 */
final class Allocator {
    static final int HEADER = 8;
    private static final long TAG_ALLOCATED = 0xA10CL << 48;
    private static final long TAG_OBJECT = 0x0B1EL << 48;
    private static final long TAG_FREE = 0xF4EEL << 48;
    private static final long SIZE_MASK = (1L << 48) - 1;
    private static final long CHUNK = 64 * 1024;
    private static final long[] CLASS_SIZES = classSizes();
    /** Arenas of one cluster node: nodes 1 to {@code ARENAS / ARENAS_PER_NODE} share none. */
    static final int ARENAS_PER_NODE = 2;

    private final Heap heap;

    Allocator(Heap heap) {
        this.heap = heap;
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
        return heap.transaction(() -> total <= CHUNK ? allocateSmall(classOf(total), tag) : allocateLarge(total, tag));
    }

    /** Frees the block at payload {@code address}; it must be allocated. */
    void free(long address) {
        heap.transaction(() -> {
            long size = sizeOfAllocated(address);
            heap.putLong(address - HEADER, TAG_FREE | size);
            long head = size <= CHUNK ? freeHead(currentArena(), classOf(size)) : Superblock.LARGE_FREE_HEAD;
            heap.putLong(address, heap.getLong(head));
            heap.putLong(head, address);
        });
    }

    /**
     * Calls {@code visitor} with the address of every object block, in address order, in one
     * transaction. The heap below {@code top} is a sequence of blocks, each starting with its
     * header, and of never-used chunk tails, which are zero.
     */
    void forEachObject(java.util.function.LongConsumer visitor) {
        heap.transaction(() -> {
            long top = heap.getLong(Superblock.TOP);
            for (long at = Superblock.FIRST_DATA_ADDRESS; at < top; ) {
                long header = heap.getLong(at);
                if (header == 0) {
                    at += 8;
                    continue;
                }
                long tag = header & ~SIZE_MASK;
                long size = header & SIZE_MASK;
                if ((tag != TAG_ALLOCATED && tag != TAG_OBJECT && tag != TAG_FREE)
                        || size < 16 || (size & 7) != 0 || at + size > top) {
                    throw new dev.hotpot.HeapCorruptException("heap=" + heap.name() + ": no valid block header at address="
                            + at + " (word " + Long.toHexString(header) + "); the heap is damaged: restore it from a copy");
                }
                if (tag == TAG_OBJECT) {
                    visitor.accept(at + HEADER);
                }
                at += size;
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
        if ((header & ~SIZE_MASK) != TAG_ALLOCATED && (header & ~SIZE_MASK) != TAG_OBJECT) {
            throw new IllegalArgumentException("address=" + address + " is not an allocated block of heap="
                    + heap.name() + ((header & ~SIZE_MASK) == TAG_FREE ? " (it was already freed)" : ""));
        }
        return header & SIZE_MASK;
    }

    private long allocateSmall(int sizeClass, long tag) {
        long blockSize = CLASS_SIZES[sizeClass];
        long arena = currentArena();
        long head = freeHead(arena, sizeClass);
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
        long blockSize = (total + Pages.OFFSET_MASK) & ~Pages.OFFSET_MASK;
        long link = Superblock.LARGE_FREE_HEAD;
        for (long block = heap.getLong(link); block != 0; link = block, block = heap.getLong(block)) {
            long size = heap.getLong(block - HEADER) & SIZE_MASK;
            if (size >= blockSize) {
                heap.putLong(link, heap.getLong(block));
                heap.putLong(block - HEADER, tag | size);
                zero(block, size - HEADER);
                return block;
            }
        }
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

    private long currentArena() {
        return Superblock.arena(arenaIndex(heap.transactionManager().nodeIndex(), Thread.currentThread().threadId()));
    }

    /**
     * The arena of thread {@code threadId} on cluster node {@code node} (0: a heap of one
     * process, whose threads spread over every arena). Node K (from 1) has arenas
     * {@code (K-1)*ARENAS_PER_NODE ..} of its own, modulo the arena count.
     */
    static int arenaIndex(int node, long threadId) {
        if (node == 0) {
            return (int) (threadId % Superblock.ARENAS);
        }
        long first = (long) (node - 1) * ARENAS_PER_NODE;
        return (int) ((first + threadId % ARENAS_PER_NODE) % Superblock.ARENAS);
    }

    private static long freeHead(long arena, int sizeClass) {
        return arena + Superblock.ARENA_FREE_HEADS + 8L * sizeClass;
    }

    static int classOf(long total) {
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

    /** 16..256 in steps of 16, then four classes per doubling up to one chunk. */
    private static long[] classSizes() {
        java.util.List<Long> sizes = new java.util.ArrayList<>();
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

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }
}
