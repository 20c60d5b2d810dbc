package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;

import java.time.Duration;

/**
 * Timing of the coordinator, the same on every peer and client of a cluster.
 *
 * <ul>
 *   <li>{@code lease}: a live member not heard from for longer is reported failed by the leader
 *       (default 1500 ms). Members heartbeat every {@link #heartbeatInterval()}.</li>
 *   <li>{@code rpcTimeoutMin}, {@code rpcTimeoutMax}: Ratis's election timeout range; a follower
 *       that hears nothing from the leader for a random time in it starts an election (default
 *       300..600 ms, raised from Ratis's 150..300 ms so that a busy 2-core machine does not flap).</li>
 *   <li>{@code requestTimeout}: how long a client call may retry, across leader changes, before it
 *       fails (default 10 s).</li>
 *   <li>{@code snapshotInterval}: log entries applied between two snapshots; the log before a
 *       snapshot is purged (default 1024).</li>
 *   <li>{@code tls}: the certificates of mutual TLS between replicas and with clients, or null for
 *       plain gRPC (default).</li>
 * </ul>
 *
 * <p>Invariants: every duration positive, {@code rpcTimeoutMin < rpcTimeoutMax},
 * {@code snapshotInterval >= 1}.
 *
 * <p>Threading: immutable.
 */
public record CoordinatorSettings(Duration lease, Duration rpcTimeoutMin, Duration rpcTimeoutMax,
                                  Duration requestTimeout, long snapshotInterval, CoordinatorTls tls) {
    public CoordinatorSettings {
        positive("lease", lease);
        positive("rpcTimeoutMin", rpcTimeoutMin);
        positive("rpcTimeoutMax", rpcTimeoutMax);
        positive("requestTimeout", requestTimeout);
        if (rpcTimeoutMin.compareTo(rpcTimeoutMax) >= 0) {
            throw new ConfigurationException("coordinator rpcTimeoutMin=" + rpcTimeoutMin + " is not below rpcTimeoutMax="
                    + rpcTimeoutMax + ": give a range, such as 300 ms to 600 ms");
        }
        if (snapshotInterval < 1) {
            throw new ConfigurationException("coordinator snapshotInterval=" + snapshotInterval
                    + " must be at least 1 log entry");
        }
    }

    /** 1500 ms lease, 300..600 ms election timeouts, 10 s requests, a snapshot every 1024 entries, no TLS. */
    public static CoordinatorSettings defaults() {
        return new CoordinatorSettings(Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ofMillis(600),
                Duration.ofSeconds(10), 1024, null);
    }

    public CoordinatorSettings withLease(Duration newLease) {
        return new CoordinatorSettings(newLease, rpcTimeoutMin, rpcTimeoutMax, requestTimeout, snapshotInterval, tls);
    }

    public CoordinatorSettings withSnapshotInterval(long entries) {
        return new CoordinatorSettings(lease, rpcTimeoutMin, rpcTimeoutMax, requestTimeout, entries, tls);
    }

    public CoordinatorSettings withRequestTimeout(Duration timeout) {
        return new CoordinatorSettings(lease, rpcTimeoutMin, rpcTimeoutMax, timeout, snapshotInterval, tls);
    }

    /** These settings with mutual TLS from {@code certificates}, or plain gRPC if null. */
    public CoordinatorSettings withTls(CoordinatorTls certificates) {
        return new CoordinatorSettings(lease, rpcTimeoutMin, rpcTimeoutMax, requestTimeout, snapshotInterval, certificates);
    }

    /** How often a member should heartbeat: a third of the lease, so that two lost beats are survived. */
    public Duration heartbeatInterval() {
        return lease.dividedBy(3);
    }

    /** How often the leader looks for silent members: a tenth of the lease, within 10..100 ms. */
    Duration checkInterval() {
        long millis = Math.clamp(lease.toMillis() / 10, 10, 100);
        return Duration.ofMillis(millis);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigurationException("coordinator " + name + "=" + value + " must be a positive duration");
        }
    }
}
