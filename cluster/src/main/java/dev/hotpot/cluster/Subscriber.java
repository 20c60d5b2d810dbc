package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node the primary streams its log to: where the next record to send starts, what was sent,
 * and how far the node has acknowledged the log durable (backups only).
 *
 * <p>Invariants: positions only grow; {@code acked} never passes what was sent, though it may pass
 * {@code position} for a moment, between a send and {@link #sent}.
 *
 * <p>Threading: {@link #sent} is called by the thread that holds the subscriber's claim
 * ({@link #claim}), one at a time, so that a send that blocks on a dead link holds up no other
 * subscriber; {@link #acknowledge} by the connection's reader; {@link #stalledFor} by the primary's
 * monitor; the getters from any thread.
 */
final class Subscriber {
    private final String node;
    private final Connection connection;
    private final boolean backup;
    private volatile long position;
    private volatile long lastSentSequence;
    private volatile long sentCommitPoint;
    private volatile long acked;
    /** When the node last acknowledged progress, or was last fully acknowledged and sent more. */
    private volatile long waitingSince = System.nanoTime();
    private final StallWatch stall;
    private final AtomicBoolean claimed = new AtomicBoolean();

    /** @param acked how far the node has the log durable already: 0 while its image is not yet durable there */
    Subscriber(String node, Connection connection, boolean backup, long position, long lastSentSequence, long acked) {
        this.node = node;
        this.connection = connection;
        this.backup = backup;
        this.position = position;
        this.lastSentSequence = lastSentSequence;
        this.acked = acked;
        this.stall = new StallWatch(connection);
    }

    String node() {
        return node;
    }

    Connection connection() {
        return connection;
    }

    boolean backup() {
        return backup;
    }

    long position() {
        return position;
    }

    long lastSentSequence() {
        return lastSentSequence;
    }

    long sentCommitPoint() {
        return sentCommitPoint;
    }

    long acked() {
        return acked;
    }

    long waitingSince() {
        return waitingSince;
    }

    /**
     * Whether frames have waited to be sent to this node for longer than {@code timeout} while its
     * connection sent no byte: the node takes nothing. The monitor thread's only, called at regular
     * intervals for every subscriber, so that a node that was in the in-sync set has a fresh clock.
     */
    boolean stalledFor(long now, long timeout) {
        return stall.stalledFor(now, timeout);
    }

    /** Takes the right to send to this node; false if another thread has it. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    void release() {
        claimed.set(false);
    }

    /** How many bytes of a log written up to {@code written} the node has not acknowledged yet. */
    long lagBehind(long written) {
        return Math.max(0, written - acked);
    }

    /** Whether the node lacks records below {@code written} or has not been sent {@code commitPoint}. */
    boolean lags(long written, long commitPoint) {
        return position < written || sentCommitPoint < commitPoint;
    }

    void sent(long newPosition, long lastSequence, long commitPoint) {
        if (acked >= position && newPosition > position) {
            waitingSince = System.nanoTime();
        }
        position = newPosition;
        lastSentSequence = lastSequence;
        sentCommitPoint = Math.max(sentCommitPoint, commitPoint);
    }

    /** An acknowledgement may arrive before {@link #sent} recorded the send it answers: it is taken as it comes. */
    void acknowledge(long durable) {
        if (durable > acked) {
            acked = durable;
            waitingSince = System.nanoTime();
        }
    }
}
