package dev.hotpot.transport;

import java.util.concurrent.CompletableFuture;

/**
 * An authenticated, ordered, bidirectional stream of frames between this node and one peer, with
 * request/response on top, shaped after what an RDMA queue pair offers.
 *
 * <p>Invariants: frames arrive in the order they were written (for one thread, the order of its
 * calls), each at most once and only while the connection is open; every request's future
 * completes exactly once, with its reply or, if the connection closes first, exceptionally with a
 * {@link TransportException}.
 *
 * <p>Threading: every method is safe from any thread. A send blocks while the peer's receive
 * window is full (backpressure), except on a transport reader thread, which never waits: what the
 * socket does not take then waits in memory until there is room. Important: a thread interrupted
 * while it waits for room closes the connection, as NIO channels do.
 */
public interface Connection extends AutoCloseable {
    /** The node id the other side proved at the handshake. */
    String peerId();

    /**
     * Sends a ONE_WAY frame, ordered with the other sends on this connection.
     *
     * @throws TransportException       if the connection is closed or closes while sending
     * @throws IllegalArgumentException if the frame is not ONE_WAY
     */
    void send(Frame frame);

    /**
     * Sends a ONE_WAY frame like {@link #send}, but never waits for room in the socket: what the
     * socket does not take waits in memory. For small frames whose sender must not be held up by
     * a slow peer; {@link #isBacklogged} tells whether the peer keeps up.
     *
     * @throws TransportException       if the connection is closed or closes while sending
     * @throws IllegalArgumentException if the frame is not ONE_WAY
     */
    void sendQueued(Frame frame);

    /**
     * Sends a REQUEST (correlation 0: the connection chooses it) and returns its reply. The future
     * completes on the connection's reader thread: a dependent action that blocks stalls the
     * connection. It fails with a {@link TransportException} if the connection is or becomes
     * closed before the reply arrives; the peer may then have handled the request or not.
     *
     * @throws IllegalArgumentException if the frame is not a REQUEST with correlation 0
     */
    CompletableFuture<Frame> request(Frame frame);

    /**
     * Sends the REPLY to {@code request}, a REQUEST received on this connection. Never waits for
     * room in the socket (as {@link #sendQueued}): a reply answers a request the peer sent, so the
     * peer bounds how many wait.
     *
     * @throws TransportException       if the connection is closed or closes while sending
     * @throws IllegalArgumentException if {@code request} is not a REQUEST
     */
    void reply(Frame request, int type, long epoch, byte[] payload);

    boolean isOpen();

    /**
     * Whether frames wait for room in the socket. A transport reader thread never waits to send,
     * so what it sends then waits in memory: such a sender of bulk data leaves it to a thread that
     * may block while this is true.
     */
    boolean isBacklogged();

    /**
     * How many bytes this connection has handed to the network so far. With {@link #isBacklogged},
     * it tells a peer that takes nothing from one that is only slow.
     */
    long sentBytes();

    /** Closes the connection and fails its pending requests; idempotent. */
    @Override
    void close();
}
