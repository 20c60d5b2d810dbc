package dev.hotpot.cluster;

import dev.hotpot.coordinator.ClusterState;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.coordinator.Member;

import java.util.Locale;
import java.util.Map;

/**
 * A node's report of the cluster as it sees it, the answer to a {@code STATUS} request: one fact
 * per line, words separated by spaces, sequences in hex.
 *
 * <pre>
 * node &lt;id&gt;
 * cluster &lt;id&gt; version &lt;coordinator state version&gt;
 * member &lt;id&gt; &lt;host:port&gt; live|failed peer|replica
 * heap &lt;name&gt; epoch &lt;n&gt; primary &lt;id|-&gt; in-sync &lt;id,id|-&gt; copies &lt;N&gt;
 * local &lt;heap&gt; &lt;primary|backup|follower|none&gt; appended &lt;seq&gt; applied &lt;seq&gt; apply-lag &lt;records&gt;
 * backup &lt;heap&gt; &lt;id&gt; in-sync|catching-up sent &lt;log position&gt; acknowledged &lt;log position&gt; lag &lt;bytes&gt;
 * </pre>
 *
 * <p>The {@code member} and {@code heap} lines are the coordinator's state as this node last read
 * it; {@code local} and {@code backup} lines are this node's own (backup lines on a primary only).
 *
 * <p>Threading: stateless.
 */
final class NodeStatus {
    private NodeStatus() {
    }

    static String of(String nodeId, ClusterState state, Map<String, ClusteredHeap> heaps) {
        StringBuilder text = new StringBuilder();
        text.append("node ").append(nodeId).append('\n');
        text.append("cluster ").append(state.clusterId()).append(" version ").append(state.version()).append('\n');
        for (Member member : state.members().values()) {
            text.append("member ").append(member.id()).append(' ').append(member.host()).append(':').append(member.port())
                    .append(member.live() ? " live" : " failed").append(member.peer() ? " peer" : " replica").append('\n');
        }
        for (HeapAssignment heap : state.heaps().values()) {
            text.append("heap ").append(heap.name()).append(" epoch ").append(heap.epoch())
                    .append(" primary ").append(heap.primary() == null ? "-" : heap.primary())
                    .append(" in-sync ").append(heap.inSync().isEmpty() ? "-" : String.join(",", heap.inSync()))
                    .append(" copies ").append(heap.replicas()).append('\n');
        }
        for (ClusteredHeap heap : heaps.values()) {
            Primary primary = heap.primaryRole();
            HeapAssignment assignment = state.heaps().get(heap.name());
            String role = primary != null ? "primary"
                    : assignment != null && assignment.inSync().contains(nodeId) ? "backup"
                    : heap.isFollowing() ? "follower" : "none";
            // A primary's own commits go through its engine, whose clock is its last record, applied.
            long appended = primary != null ? heap.manager().clock() : heap.lastAppended();
            long applied = primary != null ? appended : heap.appliedSequence();
            text.append("local ").append(heap.name()).append(' ').append(role)
                    .append(" appended ").append(Long.toHexString(appended))
                    .append(" applied ").append(Long.toHexString(applied))
                    .append(" apply-lag ").append(heap.metrics().applyLag()).append('\n');
            if (primary != null) {
                long written = heap.log().writtenPosition();
                for (Subscriber s : primary.subscribers()) {
                    text.append(String.format(Locale.ROOT, "backup %s %s %s sent %d acknowledged %d lag %d%n", heap.name(),
                            s.node(), primary.isInSync(s.node()) ? "in-sync" : "catching-up", s.position(), s.acked(),
                            s.lagBehind(written)));
                }
            }
        }
        return text.toString();
    }
}
