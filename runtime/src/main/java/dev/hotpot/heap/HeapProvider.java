package dev.hotpot.heap;

import java.util.Properties;

/**
 * Opens the default heap of a process whose settings ask for more than a local heap: the cluster
 * module provides one (found with {@link java.util.ServiceLoader}) that opens the heap as this
 * node's copy of a cluster heap.
 *
 * <p>Threading: {@link #open} is called once, by the thread that first uses the default heap.
 */
public interface HeapProvider {
    /** Whether this provider opens heaps with these settings ({@code hotpot.*} properties). */
    boolean accepts(Properties settings);

    /** Opens the heap that {@code config} names, as {@code settings} ask. */
    Heap open(HeapConfig config, Properties settings);

    /** Adds this provider's pages to the process's HTTP endpoint, after {@link #open}. */
    default void serveOn(dev.hotpot.metrics.MetricsEndpoint endpoint) {
    }
}
