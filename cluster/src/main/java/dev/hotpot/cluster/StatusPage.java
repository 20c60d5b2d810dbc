package dev.hotpot.cluster;

import dev.hotpot.coordinator.ClusterState;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.coordinator.Member;
import dev.hotpot.metrics.MetricsEndpoint;
import dev.hotpot.tx.TransactionManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The live status page of a cluster node, on the process's HTTP endpoint: {@code /} is a page
 * (plain HTML and script, {@code status.html}) that polls {@code /status.json} every second and
 * shows the members and their roles, each heap's primary and backups, commits per second and p99
 * commit latency over the last five minutes as charts, the lag of each backup and of this node,
 * and the last failovers.
 *
 * <p>Once a second a sampler records, for each heap this node has open: the commits of the whole
 * cluster per second, as this node sees records arrive in its log (its sequence counts one per
 * record within an epoch), the p99 of the last 1,024 commits made on this node, and
 * any change of primary in the coordinator's state, as a failover.
 *
 * <p>Invariants: at most {@link #SAMPLES} samples and {@link #FAILOVERS} failovers are kept.
 *
 * <p>Threading: the sampler thread writes, request threads read; both under this object's lock.
 */
final class StatusPage {
    static final int SAMPLES = 300;
    static final int FAILOVERS = 10;
    private static final long SAMPLE_MILLIS = 1_000;
    private static final long SEQUENCE_MASK = (1L << TransactionManager.EPOCH_SHIFT) - 1;

    private final ClusterNode node;
    private final ArrayDeque<String> samples = new ArrayDeque<>();
    private final ArrayDeque<String> failovers = new ArrayDeque<>();
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final Map<String, String> lastPrimary = new HashMap<>();

    StatusPage(ClusterNode node) {
        this.node = node;
    }

    void serveOn(MetricsEndpoint endpoint) {
        byte[] page = page();
        endpoint.serve("/", "text/html; charset=utf-8", () -> page);
        endpoint.serve("/status.json", "application/json", () -> json().getBytes(StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("hotpot-status-sampler").start(this::sample);
    }

    private static byte[] page() {
        try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the cluster module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sample() {
        while (true) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                record(System.currentTimeMillis());
            } catch (RuntimeException e) {
                // A heap being replaced or closed: the next second samples again.
            }
        }
    }

    private synchronized void record(long now) {
        ClusterState state = node.state();
        for (HeapAssignment heap : state.heaps().values()) {
            String before = lastPrimary.put(heap.name(), heap.primary() == null ? "-" : heap.primary());
            if (before != null && !before.equals(lastPrimary.get(heap.name()))) {
                addLast(failovers, FAILOVERS, "{\"t\":" + now + ",\"heap\":\"" + heap.name() + "\",\"from\":\"" + before
                        + "\",\"to\":\"" + lastPrimary.get(heap.name()) + "\",\"epoch\":" + heap.epoch() + "}");
            }
        }
        for (ClusteredHeap heap : node.heaps().values()) {
            long sequence = heap.primaryRole() != null ? heap.manager().clock() : heap.appliedSequence();
            Long previous = lastSequence.put(heap.name(), sequence);
            boolean sameEpoch = previous != null
                    && previous >>> TransactionManager.EPOCH_SHIFT == sequence >>> TransactionManager.EPOCH_SHIFT;
            long commits = sameEpoch ? (sequence & SEQUENCE_MASK) - (previous & SEQUENCE_MASK) : 0;
            double perSecond = commits * 1_000.0 / SAMPLE_MILLIS;
            addLast(samples, SAMPLES, "{\"t\":" + now + ",\"heap\":\"" + heap.name() + "\",\"commits\":" + perSecond
                    + ",\"p99\":" + p99Millis(heap) + "}");
        }
    }

    private static double p99Millis(ClusteredHeap heap) {
        return heap.manager().metrics().recentCommitLatencyP99() / 1e6;
    }

    private static void addLast(ArrayDeque<String> items, int limit, String item) {
        items.addLast(item);
        while (items.size() > limit) {
            items.removeFirst();
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
        json.append("],\"samples\":[").append(String.join(",", samples)).append("],\"failovers\":[")
                .append(String.join(",", failovers)).append("]}");
        return json.toString();
    }
}
