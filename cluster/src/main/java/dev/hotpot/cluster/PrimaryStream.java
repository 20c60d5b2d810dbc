package dev.hotpot.cluster;

import dev.hotpot.HotpotException;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.transport.InboundHandler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What arrives on this node's connection to a heap's primary: frames wait in a queue while the
 * node subscribes and perhaps receives an image, and go straight to the {@link Follower}, on the
 * connection's reader thread, once it has started.
 *
 * <p>Invariants: the follower gets every frame it is given in arrival order, the queued ones
 * first, and the end of the connection once, after the last frame.
 *
 * <p>Threading: the handler methods run on the connection's reader thread, {@link #take} and
 * {@link #start} on the subscribing thread; this object's monitor orders the hand-over.
 */
final class PrimaryStream implements InboundHandler {
    /** How long the image transfer waits for the primary's next frame. */
    private static final long TAKE_TIMEOUT_SECONDS = 30;

    /** A frame that arrived before the follower started, or the connection's end (no frame). */
    private record Early(Frame frame, Throwable cause) {
    }

    private final BlockingQueue<Early> early = new LinkedBlockingQueue<>();
    /** Null until {@link #start}. Guarded by this. */
    private Follower follower;

    @Override
    public synchronized void onFrame(Connection from, Frame frame) {
        if (follower != null) {
            follower.onFrame(frame);
        } else {
            early.add(new Early(frame, null));
        }
    }

    @Override
    public synchronized void onDrained(Connection connection) {
        if (follower != null) {
            follower.onDrained();
        }
    }

    @Override
    public synchronized void onClosed(Connection connection, Throwable cause) {
        if (follower != null) {
            follower.onClosed(cause);
        } else {
            early.add(new Early(null, cause));
        }
    }

    /**
     * The next frame that arrived before the follower started, for the image transfer; closes the
     * connection and throws if it ended or stayed silent for {@value #TAKE_TIMEOUT_SECONDS} s.
     */
    Frame take(Connection connection) {
        try {
            Early next = early.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (next == null || next.frame() == null) {
                connection.close();
                throw new ProtocolException("the primary's connection ended during the image transfer"
                        + (next == null ? " (no data for " + TAKE_TIMEOUT_SECONDS + " s)" : ": " + next.cause()));
            }
            return next.frame();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HotpotException("interrupted during the image transfer", e);
        }
    }

    /** Hands the follower the frames that queued so far, then every later one as it arrives. */
    synchronized void start(Follower started) {
        for (Early next; (next = early.poll()) != null; ) {
            if (next.frame() == null) {
                started.onClosed(next.cause());
            } else {
                started.onFrame(next.frame());
            }
        }
        started.onDrained();
        follower = started;
    }
}
