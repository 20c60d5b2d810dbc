package dev.hotpot.tx;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one transaction run alone: every apply to the working copy (a local commit or a shipped
 * record) passes through the gate, and a transaction that keeps losing to commits closes it,
 * waits until no apply is inside, and then runs with nothing changing under it, so it cannot
 * conflict again. This bounds by design how long a long read-only transaction or iteration can
 * starve behind a stream of writers.
 *
 * <p>Invariants: while a holder has closed the gate, only the holder's own thread is inside;
 * appliers count themselves in a striped counter before they look at the holder, and the holder
 * publishes itself before it sums the counter (both sequentially consistent), so one of the two
 * always sees the other.
 *
 * <p>Threading: safe from any thread; one holder at a time.
 */
final class CommitGate {
    private static final int STRIPES = 64;
    /** Ints between two stripes: each stripe on its own cache line. */
    private static final int SPREAD = 16;

    private final AtomicIntegerArray inside = new AtomicIntegerArray(STRIPES * SPREAD);
    private final ReentrantLock holding = new ReentrantLock();
    private volatile Thread holder;

    /** Enters to apply, waiting while another thread's transaction runs alone; returns the token for {@link #exit}. */
    int enter() {
        while (true) {
            int token = tryEnter();
            if (token >= 0) {
                return token;
            }
            // Blocks until the holder opens the gate.
            holding.lock();
            holding.unlock();
        }
    }

    /**
     * Enters to apply unless another thread's transaction runs alone: for threads that must never
     * wait for one (it may wait for them). Returns the token for {@link #exit}, or -1.
     */
    int tryEnter() {
        Thread self = Thread.currentThread();
        int stripe = ((int) self.threadId() & (STRIPES - 1)) * SPREAD;
        inside.getAndIncrement(stripe);
        Thread current = holder;
        if (current == null || current == self) {
            return stripe;
        }
        inside.getAndDecrement(stripe);
        return -1;
    }

    void exit(int token) {
        inside.getAndDecrement(token);
    }

    /** Closes the gate for the calling thread and waits until every apply inside has left. */
    void close() {
        holding.lock();
        holder = Thread.currentThread();
        for (int spins = 0; insideCount() != 0; spins++) {
            Spin.pause(spins);
        }
    }

    /** Opens the gate again; the calling thread must have closed it. */
    void open() {
        holder = null;
        holding.unlock();
    }

    private int insideCount() {
        int count = 0;
        for (int i = 0; i < STRIPES; i++) {
            count += inside.get(i * SPREAD);
        }
        return count;
    }
}
