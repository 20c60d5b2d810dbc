package dev.hotpot.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The cluster meters of one heap on this node, with tags {@code heap} and {@code node} (and
 * {@code backup} or {@code direction} where they say so), on the heap's registry:
 *
 * <pre>
 * hotpot.cluster.replication.wait    timer    on the primary: the wait, after the local force, for the in-sync backups
 * hotpot.cluster.records.shipped     counter  on the primary, per backup: records sent
 * hotpot.cluster.acks                counter  on the primary, per backup: acknowledgements received
 * hotpot.cluster.replication.lag     gauge    on the primary, per backup: log bytes written here and not yet acknowledged
 * hotpot.cluster.apply.lag           gauge    records in this node's log not yet applied to its copy
 * hotpot.cluster.failovers           counter  times this node took the heap over from another primary
 * hotpot.cluster.epoch               gauge    the heap's epoch as this node knows it
 * hotpot.cluster.catchup.bytes       counter  per direction (sent, received): image and adopted log bytes
 * hotpot.cluster.refused.connections gauge    connections this node refused at the handshake (no heap tag)
 * hotpot.cluster.commit.holds        timer    on the primary, per outcome (committed, handed_over, timed_out):
 *                                             how long every other commit was held back for a transaction
 *                                             of another node that kept conflicting
 * </pre>
 *
 * <p>Invariants: each meter is registered once per tag set; the gauges read values held here, so
 * they survive changes of role.
 *
 * <p>Threading: safe from any thread.
 */
final class ClusterMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer replicationWait;
    private final Counter failovers;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final Map<String, Backup> backups = new ConcurrentHashMap<>();
    private final Map<Hold, Timer> holds = new EnumMap<>(Hold.class);

    /** How a hold of the primary's commits for another node's losing transaction ended. */
    enum Hold {
        /** The losing attempt committed at once. */
        COMMITTED,
        /** It conflicted, and the transaction's next attempt came within the hold. */
        HANDED_OVER,
        /** It conflicted, and no next attempt came within the hold. */
        TIMED_OUT
    }

    /** The meters of one backup, seen from the primary. */
    private record Backup(Counter shipped, Counter acks, AtomicLong lag) {
    }

    <T> ClusterMetrics(MeterRegistry registry, String heap, String node, T transport, ToDoubleFunction<T> refused) {
        this.registry = registry;
        this.tags = Tags.of("heap", heap, "node", node);
        replicationWait = Timer.builder("hotpot.cluster.replication.wait").tags(tags)
                .description("wait of a primary's commit, after its local force, for the in-sync backups").register(registry);
        failovers = Counter.builder("hotpot.cluster.failovers").tags(tags)
                .description("times this node took the heap over from another primary").register(registry);
        bytesSent = Counter.builder("hotpot.cluster.catchup.bytes").tags(tags).tag("direction", "sent").baseUnit("bytes")
                .description("image and log bytes sent to or received from another node to catch up").register(registry);
        bytesReceived = Counter.builder("hotpot.cluster.catchup.bytes").tags(tags).tag("direction", "received")
                .baseUnit("bytes").register(registry);
        Gauge.builder("hotpot.cluster.epoch", epoch, AtomicLong::get).tags(tags)
                .description("the heap's epoch as this node knows it").register(registry);
        Gauge.builder("hotpot.cluster.apply.lag", this, ClusterMetrics::applyLag).tags(tags)
                .description("records in this node's log not yet applied to its copy").register(registry);
        Gauge.builder("hotpot.cluster.refused.connections", transport, refused).tag("node", node)
                .description("connections refused at the handshake").register(registry);
        for (Hold outcome : Hold.values()) {
            holds.put(outcome, Timer.builder("hotpot.cluster.commit.holds").tags(tags)
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("time every other commit was held back for another node's transaction that kept"
                            + " conflicting").register(registry));
        }
    }

    void commitsHeld(Hold outcome, long nanos) {
        holds.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void replicationWaited(long nanos) {
        replicationWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    void failover() {
        failovers.increment();
    }

    void epoch(long value) {
        epoch.set(value);
    }

    void appended() {
        appended.incrementAndGet();
    }

    void applied() {
        applied.incrementAndGet();
    }

    /** Records in this node's log not yet applied to its copy. */
    long applyLag() {
        return appended.get() - applied.get();
    }

    /** Forgets the records counted as appended and not applied: the node's copy was replaced or reopened. */
    void resetApplyLag() {
        applied.set(appended.get());
    }

    void catchUpSent(long bytes) {
        bytesSent.increment(bytes);
    }

    void catchUpReceived(long bytes) {
        bytesReceived.increment(bytes);
    }

    /** Records {@code records} sent to {@code backup}, which now lags {@code lagBytes} behind the log. */
    void shipped(String backup, int records, long lagBytes) {
        Backup meters = backup(backup);
        meters.shipped.increment(records);
        meters.lag.set(lagBytes);
    }

    /** An acknowledgement from {@code backup}, which now lags {@code lagBytes} behind the log. */
    void acknowledged(String backup, long lagBytes) {
        Backup meters = backup(backup);
        meters.acks.increment();
        meters.lag.set(lagBytes);
    }

    private Backup backup(String node) {
        return backups.computeIfAbsent(node, b -> {
            Tags backupTags = tags.and("backup", b);
            AtomicLong lag = new AtomicLong();
            Gauge.builder("hotpot.cluster.replication.lag", lag, AtomicLong::get).tags(backupTags).baseUnit("bytes")
                    .description("log bytes written on the primary and not yet acknowledged by the backup")
                    .register(registry);
            return new Backup(
                    Counter.builder("hotpot.cluster.records.shipped").tags(backupTags)
                            .description("records the primary sent to the node").register(registry),
                    Counter.builder("hotpot.cluster.acks").tags(backupTags)
                            .description("acknowledgements the primary received from the node").register(registry),
                    lag);
        });
    }
}
