package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the next request of a transaction that keeps conflicting to the primary's thread that
 * holds every other commit back for it (see {@link Primary}): the holder waits for the next such
 * request on the connection of the one that conflicted.
 *
 * <p>Invariants: a request is handed over only to the holder that waits for its connection at
 * that moment (each wait has a queue of its own); any other request, or one that comes after the
 * holder gave up, takes the usual path, so none is lost or run twice.
 *
 * <p>Threading: {@link #await} runs on the holder's thread, one at a time (it holds the heap's
 * gate); {@link #handOver} on transport reader threads.
 */
final class LosingTurn {
    /** A commit request as it arrived. */
    record Attempt(Connection connection, Frame frame, Messages.Commit commit) {
    }

    /** A holder's wait for the next request on {@code connection}. */
    private record Wait(Connection connection, SynchronousQueue<Attempt> next) {
    }

    /** The wait under way; null while none is. */
    private volatile Wait waiting;

    /** Gives the holder this request if it waits for one from {@code from}; false if it does not. */
    boolean handOver(Connection from, Frame frame, Messages.Commit commit) {
        Wait current = waiting;
        return current != null && current.connection() == from && current.next().offer(new Attempt(from, frame, commit));
    }

    /** The next request that arrives on {@code connection} within {@code timeoutNanos}; null if none. */
    Attempt await(Connection connection, long timeoutNanos) {
        Wait wait = new Wait(connection, new SynchronousQueue<>());
        waiting = wait;
        try {
            return wait.next().poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            waiting = null;
        }
    }
}
