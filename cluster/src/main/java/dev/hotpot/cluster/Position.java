package dev.hotpot.cluster;

import java.util.concurrent.TimeUnit;

/**
 * A position that only grows (a log position or a commit sequence), and threads that wait for it
 * to reach a target with a deadline.
 *
 * <p>Invariants: {@link #get} never decreases.
 *
 * <p>Threading: safe from any thread.
 */
final class Position {
    private final Object changed = new Object();
    private volatile long value;

    Position(long initial) {
        this.value = initial;
    }

    long get() {
        return value;
    }

    /** Raises the position to {@code target} if it is below, waking the waiters. */
    void advanceTo(long target) {
        if (target <= value) {
            return;
        }
        synchronized (changed) {
            if (target > value) {
                value = target;
                changed.notifyAll();
            }
        }
    }

    /** Wakes the waiters without a change, so that they look at their other conditions. */
    void poke() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /**
     * Waits until the position reaches {@code target} or {@code deadlineNanos} (a
     * {@link System#nanoTime} value) passes.
     *
     * @return whether the position reached the target
     */
    boolean await(long target, long deadlineNanos) {
        if (value >= target) {
            return true;
        }
        boolean interrupted = false;
        try {
            synchronized (changed) {
                while (value < target) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(changed, left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
