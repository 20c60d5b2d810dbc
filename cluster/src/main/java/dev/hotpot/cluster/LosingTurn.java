package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the next commit request of one node to the primary's thread that holds every other commit
 * back for it, because that node's transaction keeps conflicting (see {@link Primary}).
 *
 * <p>Invariants: a request is handed over only to a holder waiting for its connection at that
 * moment; any other request, or one that comes after the holder gave up, takes the usual path, so
 * none is lost or run twice.
 *
 * <p>Threading: {@link #await} runs on the holder's thread, one at a time (it holds the heap's
 * gate); {@link #handOver} on transport reader threads.
 */
final class LosingTurn {
    /** A commit request as it arrived. */
    record Attempt(Connection connection, Frame frame, Messages.Commit commit) {
    }

    private final SynchronousQueue<Attempt> next = new SynchronousQueue<>();
    /** The connection whose next request the holder waits for; null while none waits. */
    private volatile Connection awaited;

    /** Gives the holder this request if it waits for one from {@code from}; false if it does not. */
    boolean handOver(Connection from, Frame frame, Messages.Commit commit) {
        return awaited == from && next.offer(new Attempt(from, frame, commit));
    }

    /** The next request that arrives on {@code connection} within {@code timeoutNanos}; null if none. */
    Attempt await(Connection connection, long timeoutNanos) {
        awaited = connection;
        try {
            return next.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            awaited = null;
        }
    }
}
