package dev.hotpot.cluster;

import dev.hotpot.coordinator.ClusterState;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.coordinator.Member;
import dev.hotpot.metrics.MetricsEndpoint;
import dev.hotpot.metrics.StatusHistory;
import dev.hotpot.tx.TransactionManager;

import java.util.HashMap;
import java.util.Map;

/**
 * The live status page of a cluster node, on the process's HTTP endpoint ({@link StatusHistory}
 * serves the page and keeps the charted history): the members and their roles, each heap's
 * primary and backups, commits per second and p99 commit latency over the last five minutes as
 * charts, the lag of each backup and of this node, and the last failovers.
 *
 * <p>Once a second the sampler records, for each heap this node has open: the commits of the whole
 * cluster per second, as this node sees records arrive in its log, the p99 of the last 1,024
 * commits made on this node, and any change of primary in the coordinator's state, as a failover.
 *
 * <p>Threading: the sampler thread writes, request threads read; both under this object's lock.
 */
final class StatusPage {
    private final ClusterNode node;
    private final StatusHistory history = new StatusHistory();
    private final Map<String, String> lastPrimary = new HashMap<>();

    StatusPage(ClusterNode node) {
        this.node = node;
    }

    void serveOn(MetricsEndpoint endpoint) {
        history.serveOn(endpoint, this::json, this::record);
    }

    private synchronized void record(long now) {
        ClusterState state = node.state();
        for (HeapAssignment heap : state.heaps().values()) {
            String primary = heap.primary() == null ? "-" : heap.primary();
            String before = lastPrimary.put(heap.name(), primary);
            if (before != null && !before.equals(primary)) {
                history.failover(now, heap.name(), before, primary, heap.epoch());
            }
        }
        for (ClusteredHeap heap : node.heaps().values()) {
            long sequence = heap.primaryRole() != null ? heap.manager().clock() : heap.appliedSequence();
            history.sample(now, heap.name(), TransactionManager.epochOf(sequence), TransactionManager.countInEpoch(sequence),
                    heap.manager().metrics().recentCommitLatencyP99());
        }
    }

    /** Everything the page shows, as JSON. */
    synchronized String json() {
        ClusterState state = node.state();
        StringBuilder json = new StringBuilder("{\"node\":\"").append(node.nodeId()).append("\",\"cluster\":\"")
                .append(state.clusterId()).append("\",\"time\":").append(System.currentTimeMillis()).append(",\"members\":[");
        String separator = "";
        for (Member member : state.members().values()) {
            json.append(separator).append("{\"id\":\"").append(member.id()).append("\",\"address\":\"").append(member.host())
                    .append(':').append(member.port()).append("\",\"live\":").append(member.live()).append(",\"peer\":")
                    .append(member.peer()).append(",\"roles\":{");
            String roleSeparator = "";
            for (HeapAssignment heap : state.heaps().values()) {
                String role = member.id().equals(heap.primary()) ? "primary"
                        : heap.inSync().contains(member.id()) ? "backup" : member.live() ? "catching up" : "failed";
                json.append(roleSeparator).append('"').append(heap.name()).append("\":\"").append(role).append('"');
                roleSeparator = ",";
            }
            json.append("}}");
            separator = ",";
        }
        json.append("],\"heaps\":[");
        separator = "";
        for (HeapAssignment heap : state.heaps().values()) {
            json.append(separator).append("{\"name\":\"").append(heap.name()).append("\",\"epoch\":").append(heap.epoch())
                    .append(",\"primary\":\"").append(heap.primary() == null ? "-" : heap.primary())
                    .append("\",\"inSync\":\"").append(String.join(", ", heap.inSync())).append("\",\"copies\":")
                    .append(heap.replicas()).append('}');
            separator = ",";
        }
        json.append("],\"lag\":[");
        separator = "";
        for (ClusteredHeap heap : node.heaps().values()) {
            json.append(separator).append("{\"heap\":\"").append(heap.name()).append("\",\"node\":\"").append(node.nodeId())
                    .append("\",\"what\":\"records not yet applied here\",\"value\":").append(heap.metrics().applyLag())
                    .append('}');
            separator = ",";
            Primary primary = heap.primaryRole();
            if (primary != null) {
                long written = heap.log().writtenPosition();
                for (Subscriber s : primary.subscribers()) {
                    json.append(",{\"heap\":\"").append(heap.name()).append("\",\"node\":\"").append(s.node())
                            .append("\",\"what\":\"log bytes not yet acknowledged\",\"value\":")
                            .append(s.lagBehind(written)).append('}');
                }
            }
        }
        json.append("],\"samples\":[").append(history.samplesJson()).append("],\"failovers\":[")
                .append(history.failoversJson()).append("]}");
        return json.toString();
    }
}
