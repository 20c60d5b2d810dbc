package dev.hotpot.coordinator;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Keeps the coordinator's leadership off the nodes that are primary of heaps, where it can be.
 * When a primary's node dies and it also led the coordinator, the new leader must first grant
 * every member a fresh lease before it can report anyone failed, which adds two leases to the
 * failover; on another node, the primary's lease alone counts. So while this replica leads and is
 * primary of more heaps than some other live peer, it hands leadership to the live peer that is
 * primary of the fewest (the lowest id among equals), among the peers whose heartbeats this leader
 * heard within the last lease: a peer that is down or restarting cannot take over, and while a
 * hand-over is pending the leader refuses every write, the failure detector's own reports included.
 *
 * <p>It hands over only once the state has not changed for the settle time (a lease), or once it
 * has wanted to for {@link #MAX_SETTLE_WAITS} settle times while the state kept changing. A
 * hand-over stalls the coordinator for about a second, and the moment leadership is worth moving,
 * just after a failover made this leader primary, is the moment the heap's backups must read the
 * new assignment and follow it: stalled past their primary's backup timeout, they were dropped
 * from the in-sync set and the failover took a second longer.
 *
 * <p>Runs only while this replica leads, first after the grace a new leader gives, then every
 * {@link #PERIOD_MILLIS}. After a hand-over that failed it waits before the next: first
 * {@link #FIRST_BACKOFF_MILLIS}, doubling with each failure in a row up to
 * {@link #MAX_BACKOFF_MILLIS}. A hand-over can fail for a passing reason (the peer was busy taking
 * a heap's image, an election raced it), and a leader that is also primary makes the failover
 * after its death slow, so the next try comes soon; a peer that keeps failing blocks writes for a
 * small share of the time only.
 *
 * <p>Threading: its checks run on the coordinator's timer; start and stop from any thread.
 */
final class LeaderPlacement {
    private static final System.Logger LOG = System.getLogger(LeaderPlacement.class.getName());
    /** Often: a check only reads the applied state, and a primary that leads should stop leading soon. */
    static final long PERIOD_MILLIS = 200;
    /** How long after a first failed hand-over the next may start; it doubles with each failure in a row. */
    static final long FIRST_BACKOFF_MILLIS = 1_000;
    /** The longest wait between two hand-overs that failed. */
    static final long MAX_BACKOFF_MILLIS = 16_000;
    /** After this many settle times of wanting to hand over, it does so even if the state keeps changing. */
    static final int MAX_SETTLE_WAITS = 10;

    private final String self;
    private final Supplier<ClusterState> state;
    private final Predicate<String> heardRecently;
    private final Function<String, CompletableFuture<?>> transfer;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final long firstDelayMillis;
    private final long settleNanos;
    private final AtomicBoolean handing = new AtomicBoolean();
    private volatile long quietUntilNanos;
    /** Written by a hand-over's completion only, one hand-over at a time. */
    private volatile long backoffMillis = FIRST_BACKOFF_MILLIS;
    private volatile long changedAtNanos;
    /** Whether, and since when, the checks have found a better leader; written by the checks only. */
    private boolean wanting;
    private long wantedSinceNanos;
    private ScheduledFuture<?> checks;

    /**
     * @param heardRecently whether this leader heard a member's heartbeat within the last lease
     * @param transfer hands the leadership to the given peer; its future completes once it did
     * @param clock nanoseconds, as {@link System#nanoTime}
     * @param firstDelayMillis how long after becoming leader the first check waits
     * @param settleMillis how long the state must stay unchanged before a hand-over
     */
    LeaderPlacement(String self, Supplier<ClusterState> state, Predicate<String> heardRecently,
                    Function<String, CompletableFuture<?>> transfer, ScheduledExecutorService timer, LongSupplier clock,
                    long firstDelayMillis, long settleMillis) {
        this.self = self;
        this.state = state;
        this.heardRecently = heardRecently;
        this.transfer = transfer;
        this.timer = timer;
        this.clock = clock;
        this.firstDelayMillis = firstDelayMillis;
        this.settleNanos = TimeUnit.MILLISECONDS.toNanos(settleMillis);
        this.quietUntilNanos = clock.getAsLong();
        this.changedAtNanos = clock.getAsLong();
    }

    /** The applied state just changed (its version grew). From the thread that applies the log. */
    void stateChanged() {
        changedAtNanos = clock.getAsLong();
    }

    synchronized void startLeading() {
        if (checks == null) {
            checks = timer.scheduleWithFixedDelay(this::check, firstDelayMillis, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stopLeading() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    /** One check: starts a hand-over if one is due. Called by the timer, one call at a time. */
    void check() {
        long now = clock.getAsLong();
        if (now - quietUntilNanos < 0) {
            return;
        }
        Optional<String> better = betterLeader(state.get(), self, heardRecently);
        if (better.isEmpty()) {
            wanting = false;
            return;
        }
        if (!wanting) {
            wanting = true;
            wantedSinceNanos = now;
        }
        boolean settled = now - changedAtNanos >= settleNanos;
        boolean waitedEnough = now - wantedSinceNanos >= MAX_SETTLE_WAITS * settleNanos;
        if (!(settled || waitedEnough) || !handing.compareAndSet(false, true)) {
            return;
        }
        wanting = false;
        LOG.log(INFO, () -> "coordinator " + self + ": handing leadership to " + better.get()
                + ", which is primary of fewer heaps than this node");
        transfer.apply(better.get()).whenComplete((done, failure) -> {
            if (failure != null) {
                long backoff = backoffMillis;
                quietUntilNanos = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(backoff);
                backoffMillis = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
                LOG.log(WARNING, "coordinator " + self + " could not hand leadership to " + better.get()
                        + "; retrying in " + backoff + " ms: " + failure);
            } else {
                backoffMillis = FIRST_BACKOFF_MILLIS;
            }
            handing.set(false);
        });
    }

    /**
     * The live, recently heard peer other than {@code self} to lead instead, if {@code self} is
     * primary of more heaps than it.
     */
    static Optional<String> betterLeader(ClusterState state, String self, Predicate<String> heardRecently) {
        Map<String, Integer> primaries = new HashMap<>();
        for (HeapAssignment heap : state.heaps().values()) {
            if (heap.primary() != null) {
                primaries.merge(heap.primary(), 1, Integer::sum);
            }
        }
        int mine = primaries.getOrDefault(self, 0);
        return state.members().values().stream()
                .filter(member -> member.peer() && member.live() && !member.id().equals(self))
                .filter(member -> heardRecently.test(member.id()))
                .filter(member -> primaries.getOrDefault(member.id(), 0) < mine)
                .min(Comparator.comparing((Member member) -> primaries.getOrDefault(member.id(), 0))
                        .thenComparing(Member::id))
                .map(Member::id);
    }
}
