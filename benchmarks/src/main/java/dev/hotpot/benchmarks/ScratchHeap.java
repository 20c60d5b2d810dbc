package dev.hotpot.benchmarks;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.Pages;

import java.nio.file.Path;

/**
 * A heap with default settings in a scratch directory of its own, deleted again on close.
 *
 * <p>Threading: open and close from one thread; {@link #heap()} and {@link #allocatePages} are safe
 * from any thread while it is open.
 */
final class ScratchHeap implements AutoCloseable {
    private final Path directory;
    private final Heap heap;

    private ScratchHeap(Path directory, Heap heap) {
        this.directory = directory;
        this.heap = heap;
    }

    static ScratchHeap open(String name, Durability durability) {
        Path directory = ScratchDirectory.create("hotpot-" + name + "-");
        try {
            return new ScratchHeap(directory, Heap.open(HeapConfig.builder(directory, name).durability(durability).build()));
        } catch (RuntimeException e) {
            ScratchDirectory.delete(directory);
            throw e;
        }
    }

    Heap heap() {
        return heap;
    }

    /** The scratch directory; other scratch files may be placed in it and are deleted with it. */
    Path directory() {
        return directory;
    }

    /** Allocates {@code count} whole pages that no other allocation shares; returns the first page's address. */
    long allocatePages(int count) {
        return allocatePages(heap, count);
    }

    /**
     * Allocates a block one page larger than asked, so that it contains {@code count} whole
     * page-aligned pages, and returns the address of the first of them.
     */
    static long allocatePages(Heap heap, int count) {
        long block = heap.allocate((long) (count + 1) * Pages.SIZE);
        return (block + Pages.OFFSET_MASK) & ~Pages.OFFSET_MASK;
    }

    @Override
    public void close() {
        try {
            heap.close();
        } finally {
            ScratchDirectory.delete(directory);
        }
    }
}
