package dev.hotpot.coordinator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The leader's failure detector. Members heartbeat to the leader with read-only messages, not log
 * entries; the leader keeps when it last heard each one, and the durable positions it reported, in
 * memory only. While this replica leads, a periodic check reports a live member silent for longer
 * than the lease with {@link Command.NodeFailed} (carrying the positions that choose its successor
 * as primary), and a failed member heard again with {@link Command.NodeReturned}.
 *
 * <p>A member's silence counts from the latest of: its last heartbeat, the moment this replica became
 * leader (a new leader knows no heartbeat yet, so each member gets a full lease before it is judged,
 * and a second one, at least 2 s in all, while this leader has not heard it at all),
 * and the moment the member became live in the applied state (a member that just joined or returned
 * gets a full lease too). A member is reported returned only for a heartbeat heard during this
 * leadership and after the state made it failed.
 *
 * <p>A member that another one suspects, because their connection ended, is probed at once: if
 * its data address refuses connections, no process of it runs there, and it is reported failed
 * without waiting for its lease to run out (a killed primary is replaced in milliseconds, not a
 * lease). A member that accepts, or cannot be reached at all (a cut link), is left to the lease.
 *
 * <p>Invariants: checks run only between {@link #startLeading} and {@link #stopLeading}; at most one
 * command per member is in flight; the record of heartbeats is emptied when leadership ends.
 *
 * <p>Threading: {@link #heard} from the threads that serve queries; {@link #applied} from the thread
 * that applies the log; {@link #startLeading} and {@link #stopLeading} from Ratis's threads;
 * {@link #check} on the timer thread (or a test's); probes on a virtual thread each, at most one
 * per member per {@link #PROBE_INTERVAL_NANOS}.
 */
final class FailureDetector {
    private static final System.Logger LOG = System.getLogger(FailureDetector.class.getName());
    /** The least time a new leader waits for a member it has not heard before it reports it failed. */
    private static final long UNHEARD_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * The least time between two probes of one member, twice a probe's connection timeout:
     * suspicions of a member that accepts cost little, and one member's probes do not pile up.
     */
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2L * AddressProbe.CONNECT_TIMEOUT_MILLIS);

    /**
     * When a member was last heard, the durable position it reported per heap, and whether the
     * applied state had it live then: only a heartbeat heard while it was failed brings it back.
     */
    private record Heard(long atNanos, Map<String, Long> positions, boolean liveWhenHeard) {
    }

    private final String self;
    private final long leaseNanos;
    private final Duration checkInterval;
    private final Supplier<ClusterState> state;
    private final Function<Command, CompletableFuture<?>> submit;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    private final Map<String, Long> liveSince = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Predicate<Member> refusesConnections;
    /** When each member was last probed. */
    private final Map<String, Long> probed = new ConcurrentHashMap<>();
    private ScheduledFuture<?> checks; // guarded by this
    private volatile boolean leading;
    private volatile long leaderSince;

    /**
     * @param self   this replica's id, for log messages
     * @param state  the applied state
     * @param submit sends a command through the log; its future completes once it is applied
     * @param clock  nanoseconds, as {@link System#nanoTime}
     * @param refusesConnections whether a member's data address refuses connections now (see {@link AddressProbe})
     */
    FailureDetector(String self, CoordinatorSettings settings, Supplier<ClusterState> state,
                    Function<Command, CompletableFuture<?>> submit, LongSupplier clock, ScheduledExecutorService timer,
                    Predicate<Member> refusesConnections) {
        this.self = self;
        this.leaseNanos = settings.lease().toNanos();
        this.checkInterval = settings.checkInterval();
        this.state = state;
        this.submit = submit;
        this.clock = clock;
        this.timer = timer;
        this.refusesConnections = refusesConnections;
    }

    /** This replica became leader and can serve: start checking, counting silences from now. */
    synchronized void startLeading() {
        if (leading) {
            return;
        }
        leaderSince = clock.getAsLong();
        leading = true;
        long interval = checkInterval.toNanos();
        checks = timer.scheduleWithFixedDelay(this::checkOrLog, interval, interval, TimeUnit.NANOSECONDS);
        LOG.log(INFO, () -> "coordinator " + self + " leads: checking heartbeats, lease "
                + Duration.ofNanos(leaseNanos).toMillis() + " ms");
    }

    /** This replica is no longer leader: stop checking and forget what it heard. */
    synchronized void stopLeading() {
        if (!leading) {
            return;
        }
        leading = false;
        checks.cancel(false);
        checks = null;
        heard.clear();
    }

    /**
     * Records a heartbeat of {@code nodeId}.
     *
     * @return an {@link Reply.Ack} with the state's version, or a refusal if {@code nodeId} never joined
     */
    Reply heard(String nodeId, Map<String, Long> positions) {
        ClusterState current = state.get();
        if (!current.members().containsKey(nodeId)) {
            return new Reply.Refused("member id=" + nodeId + " heartbeats but never joined: join the cluster first");
        }
        heard.put(nodeId, new Heard(clock.getAsLong(), positions, current.isLive(nodeId)));
        return new Reply.Ack(current.version());
    }

    /**
     * A heartbeat of {@code nodeId} that also says it lost its connection to {@code suspectId}:
     * while this replica leads, a live suspect is probed on a thread of its own, and reported
     * failed if its data address refuses connections. A member that never joined is not heard.
     *
     * @return what {@link #heard} returns for the heartbeat
     */
    Reply suspected(String nodeId, Map<String, Long> positions, String suspectId) {
        Reply reply = heard(nodeId, positions);
        Member suspect = state.get().members().get(suspectId);
        if (reply instanceof Reply.Ack && leading && suspect != null && suspect.live() && !inFlight.contains(suspectId)
                && claimProbe(suspectId)) {
            Thread.ofVirtual().name("hotpot-probe-" + suspectId).start(() -> probe(suspect, nodeId));
        }
        return reply;
    }

    private boolean claimProbe(String memberId) {
        long now = clock.getAsLong();
        boolean[] claimed = {false};
        probed.compute(memberId, (id, last) -> {
            if (last != null && now - last < PROBE_INTERVAL_NANOS) {
                return last;
            }
            claimed[0] = true;
            return now;
        });
        return claimed[0];
    }

    private void probe(Member suspect, String reporter) {
        String id = suspect.id();
        if (!refusesConnections.test(suspect)) {
            LOG.log(DEBUG, () -> "coordinator " + self + ": " + reporter + " lost its connection to member " + id
                    + ", which still accepts connections at " + suspect.host() + ":" + suspect.port()
                    + "; its lease decides");
            return;
        }
        ClusterState current = state.get();
        if (leading && current.isLive(id)) {
            report(id, new Command.NodeFailed(id, positionsFor(current, id)), "refuses connections at "
                    + suspect.host() + ":" + suspect.port() + " since " + reporter + " lost its connection to it: its"
                    + " process is gone; reporting it failed");
        }
    }

    /** Whether this leader heard {@code nodeId} within the last lease. */
    boolean heardRecently(String nodeId) {
        Heard last = heard.get(nodeId);
        return last != null && clock.getAsLong() - last.atNanos() <= leaseNanos;
    }

    /**
     * Notes the members that {@code after} makes live, whose silence counts from now on, and
     * forgets the heartbeats of those it makes failed: a heartbeat heard before the failure, within
     * the lease of a member found gone by a probe, would otherwise report it returned at once. (A
     * heartbeat handled while this runs, on the state from before, is marked heard while live, and
     * brings nothing back either.)
     */
    void applied(ClusterState before, ClusterState after) {
        for (Member member : after.members().values()) {
            if (member.live() && !before.isLive(member.id())) {
                liveSince.put(member.id(), clock.getAsLong());
            } else if (!member.live() && before.isLive(member.id())) {
                heard.remove(member.id());
            }
        }
    }

    /** One round: reports silent live members failed and heard failed members returned. */
    void check() {
        if (!leading) {
            return;
        }
        long now = clock.getAsLong();
        long since = leaderSince;
        ClusterState current = state.get();
        for (Member member : current.members().values()) {
            Heard last = heard.get(member.id());
            if (member.live()) {
                long silentFrom = Math.max(since, liveSince.getOrDefault(member.id(), since));
                if (last != null) {
                    silentFrom = Math.max(silentFrom, last.atNanos());
                } else {
                    // Not heard by this leader yet: its heartbeats may still be finding the new leader
                    // (a client learns of it only after a failed attempt, and an election may take
                    // several rounds), so it gets a second lease, and at least UNHEARD_GRACE in all.
                    silentFrom = Math.max(silentFrom, since + Math.max(leaseNanos, UNHEARD_GRACE_NANOS - leaseNanos));
                }
                long silent = now - silentFrom;
                if (silent > leaseNanos) {
                    report(member.id(), new Command.NodeFailed(member.id(), positionsFor(current, member.id())),
                            "silent for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms, longer than the lease of "
                                    + TimeUnit.NANOSECONDS.toMillis(leaseNanos) + " ms: reporting it failed");
                }
            } else if (last != null && !last.liveWhenHeard() && last.atNanos() - since >= 0
                    && now - last.atNanos() <= leaseNanos) {
                report(member.id(), new Command.NodeReturned(member.id()), "heard again: reporting it returned");
            }
        }
    }

    /** What the backups of the heaps {@code failed} is primary of last reported, per heap. */
    private Map<String, Map<String, Long>> positionsFor(ClusterState current, String failed) {
        Map<String, Map<String, Long>> positions = new TreeMap<>();
        for (HeapAssignment heap : current.heaps().values()) {
            if (failed.equals(heap.primary())) {
                Map<String, Long> byBackup = new TreeMap<>();
                for (String backup : heap.inSync()) {
                    Heard last = heard.get(backup);
                    Long position = last == null ? null : last.positions().get(heap.name());
                    if (position != null) {
                        byBackup.put(backup, position);
                    }
                }
                positions.put(heap.name(), byBackup);
            }
        }
        return positions;
    }

    private void report(String memberId, Command command, String why) {
        if (!inFlight.add(memberId)) {
            return;
        }
        LOG.log(INFO, () -> "coordinator " + self + ": member " + memberId + " " + why);
        submit.apply(command).whenComplete((reply, failure) -> {
            inFlight.remove(memberId);
            if (failure != null) {
                LOG.log(WARNING, () -> "coordinator " + self + " could not report member " + memberId
                        + "; the next check retries: " + failure);
            }
        });
    }

    /** A check that throws must not end the schedule, which would silently stop failure detection. */
    private void checkOrLog() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "coordinator " + self + ": a heartbeat check failed; the next one runs as planned", e);
        }
    }
}
