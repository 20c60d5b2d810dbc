package dev.hotpot.testing;

import dev.hotpot.heap.Heap;

/**
 * One long in a heap, reached through a named root: the smallest committed state a test can store
 * and check after a fault or a reopen.
 *
 * <p>Threading: as the heap.
 */
public final class RootValue {
    private RootValue() {
    }

    /** Stores {@code value} under {@code root}, allocating its block first if absent, in one transaction; returns its address. */
    public static long store(Heap heap, String root, long value) {
        return heap.transaction(() -> {
            long at = heap.root(root);
            if (at == 0) {
                at = heap.allocate(8);
                heap.setRoot(root, at);
            }
            heap.putLong(at, value);
            return at;
        });
    }
}
