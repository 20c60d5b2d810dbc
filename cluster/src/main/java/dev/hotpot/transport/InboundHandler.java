package dev.hotpot.transport;

/**
 * Receives what arrives on connections: ONE_WAY frames and REQUESTs (REPLYs complete the future
 * of their request instead), and the end of each connection.
 *
 * <p>Important: the transport calls the handler on the connection's own reader thread, without a
 * hand-off, so that a message costs no thread switch. A handler that blocks stops its connection
 * (not others); one that waits for the reply to a request on the same connection deadlocks it.
 * Reply to a request from the handler, or later from any thread. A handler that sends a lot on
 * its own connection while the peer's handler does the same can stall both once the socket
 * buffers are full: hand bulk sends to another thread.
 *
 * <p>Threading: called by one thread per connection, so calls for one connection come one at a
 * time and in the order the frames were sent; calls for different connections may be concurrent.
 */
@FunctionalInterface
public interface InboundHandler {
    /**
     * One ONE_WAY frame or REQUEST from the peer of {@code from}. A handler that throws closes
     * the connection, with the exception as the cause given to {@link #onClosed}.
     */
    void onFrame(Connection from, Frame frame);

    /**
     * Every frame that had arrived on {@code connection} has been handed to {@link #onFrame} and
     * no other is waiting: called on the reader thread after a frame, before it blocks for the
     * next. Frames that arrive while a handler works queue up and are handed over one after the
     * other before this is called once for all of them, so a handler that batches work (a backup
     * that forces once for many frames) does that work here.
     */
    default void onDrained(Connection connection) {
    }

    /**
     * The connection closed; called once, after the last {@link #onFrame} for it.
     *
     * @param cause null when this node closed it; otherwise why it ended (the peer closed it, a
     *              {@link FrameException}, an I/O error, a handler's exception)
     */
    default void onClosed(Connection connection, Throwable cause) {
    }
}
