package dev.hotpot.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The state a replica has applied, and the long polls waiting for it to change
 * ({@link Query.AwaitChange}).
 *
 * <p>Invariants: a waiter is in {@code waiters} only while its future is incomplete; it is completed
 * with the first state whose version exceeds its known version, or with the state current at its
 * deadline, or at {@link #close}.
 *
 * <p>Threading: {@link #set} is called by the one thread that applies the log (or loads a snapshot);
 * {@link #get} and {@link #awaitChange} from any thread. Futures are completed outside the lock.
 */
final class AppliedState {
    private record Waiter(long knownVersion, CompletableFuture<ClusterState> future) {
    }

    private final ScheduledExecutorService timer;
    private final List<Waiter> waiters = new ArrayList<>(); // guarded by this
    private volatile ClusterState current = ClusterState.EMPTY;

    AppliedState(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    ClusterState get() {
        return current;
    }

    void set(ClusterState state) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            current = state;
            for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
                Waiter waiter = i.next();
                if (state.version() > waiter.knownVersion()) {
                    i.remove();
                    ready.add(waiter);
                }
            }
        }
        ready.forEach(waiter -> waiter.future().complete(state));
    }

    /** The first state with a version above {@code knownVersion}, or the current one after {@code maxWait}. */
    CompletableFuture<ClusterState> awaitChange(long knownVersion, Duration maxWait) {
        Waiter waiter = new Waiter(knownVersion, new CompletableFuture<>());
        synchronized (this) {
            if (current.version() > knownVersion || maxWait.isZero()) {
                return CompletableFuture.completedFuture(current);
            }
            waiters.add(waiter);
        }
        try {
            timer.schedule(() -> expire(waiter), maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            expire(waiter); // the replica is closing: answer now rather than never
        }
        return waiter.future();
    }

    private void expire(Waiter waiter) {
        ClusterState state;
        synchronized (this) {
            if (!waiters.remove(waiter)) {
                return;
            }
            state = current;
        }
        waiter.future().complete(state);
    }

    /** Answers every waiter with the current state; called when the replica stops. */
    void close() {
        List<Waiter> all;
        ClusterState state;
        synchronized (this) {
            all = new ArrayList<>(waiters);
            waiters.clear();
            state = current;
        }
        all.forEach(waiter -> waiter.future().complete(state));
    }
}
