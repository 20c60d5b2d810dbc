package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.HeapProvider;
import dev.hotpot.metrics.MetricsEndpoint;

import java.util.Properties;

/**
 * Opens the default heap as this node's copy of a cluster heap when {@code hotpot.peers} is set:
 * starts the node (which joins the cluster), opens the heap in its role, and closes the node at
 * JVM exit.
 *
 * <p>Threading: called once, by {@code Hotpot}'s opening thread.
 */
public final class ClusterHeapProvider implements HeapProvider {
    @Override
    public boolean accepts(Properties settings) {
        return ClusterSettings.requested(settings);
    }

    /** The node {@link #open} started. */
    private ClusterNode node;

    @Override
    public Heap open(HeapConfig config, Properties settings) {
        node = ClusterNode.start(ClusterSettings.from(settings), config.directory());
        try {
            Heap heap = node.openHeap(config);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hotpot-cluster-close").unstarted(node::close));
            return heap;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Serves the cluster's status page ({@code /}) and its data ({@code /status.json}). */
    @Override
    public void serveOn(MetricsEndpoint endpoint) {
        new StatusPage(node).serveOn(endpoint);
    }
}
