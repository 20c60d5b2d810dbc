package dev.hotpot;

import dev.hotpot.heap.Heap;
import dev.hotpot.metrics.MetricsEndpoint;
import dev.hotpot.metrics.StatusHistory;
import dev.hotpot.tx.TransactionManager;

/**
 * The status page of a process whose default heap is local (no cluster): the same page a cluster
 * node serves, showing this process as the one node, its heap with one copy, and the heap's
 * commits per second and p99 commit latency over the last minutes. There is no lag and no
 * failover to show.
 *
 * <p>Threading: the history's sampler thread samples, request threads read the JSON.
 */
final class LocalStatusPage {
    private final Heap heap;
    private final String node = "this process (pid " + ProcessHandle.current().pid() + ")";
    private final StatusHistory history = new StatusHistory();

    LocalStatusPage(Heap heap) {
        this.heap = heap;
    }

    void serveOn(MetricsEndpoint endpoint) {
        history.serveOn(endpoint, this::json, this::sample);
    }

    private void sample(long now) {
        TransactionManager manager = heap.transactionManager();
        long sequence = manager.clock();
        history.sample(now, heap.name(), TransactionManager.epochOf(sequence), TransactionManager.countInEpoch(sequence),
                manager.metrics().recentCommitLatencyP99());
    }

    /** The status in the JSON the page reads (see the cluster's page for the fields). */
    String json() {
        String name = heap.name();
        return "{\"node\":\"" + node + "\",\"cluster\":\"single-node heap\",\"time\":" + System.currentTimeMillis()
                + ",\"members\":[{\"id\":\"" + node + "\",\"address\":\"-\",\"live\":true,\"peer\":false,\"roles\":{\""
                + name + "\":\"local heap, the only copy\"}}],\"heaps\":[{\"name\":\"" + name
                + "\",\"epoch\":0,\"primary\":\"" + node + "\",\"inSync\":\"\",\"copies\":1}],\"lag\":[],\"samples\":["
                + history.samplesJson() + "],\"failovers\":[" + history.failoversJson() + "]}";
    }
}
