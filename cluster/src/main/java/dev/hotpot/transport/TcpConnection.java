package dev.hotpot.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A {@link Connection} over one authenticated TCP socket in non-blocking mode: callers hand their
 * frames to a {@link FrameWriter}, which writes each whole and in order, and one reader thread
 * decodes what arrives and calls the handler directly. The reader thread never waits to write:
 * what it sends, here or on another connection, is queued when the socket is full, and the
 * connection's own reader writes it out once there is room.
 *
 * <p>Invariants: {@code closed} is set once, by whichever of {@link #close}, a failed write or the
 * end of the read loop comes first, and its cause is the first one; after it is set no write
 * starts and every pending request is failed; the handler's {@code onClosed} runs once, on the
 * reader thread, after its last {@code onFrame}; {@code onDrained} follows a frame only when no
 * byte of another is buffered or waiting in the socket.
 *
 * <p>Threading: the public methods are safe from any thread; {@link #readLoop} runs on the one
 * reader thread, which alone uses the decoder and the input.
 */
final class TcpConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());

    /** Why the connection closed; {@code cause} null when this node closed it. */
    private record Closed(Throwable cause) {
    }

    private final SocketChannel channel;
    private final String peerId;
    private final InboundHandler handler;
    private final FrameWriter writer;
    private final ChannelInput input;
    private final FrameDecoder decoder;
    private final Consumer<TcpConnection> onShutdown;

    private final AtomicLong correlations = new AtomicLong();
    private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicReference<Closed> closed = new AtomicReference<>();

    /**
     * Puts {@code channel} in non-blocking mode.
     *
     * @param leftover   what the handshake read past its own bytes: the start of the first frames
     * @param onShutdown told once when the connection closes, on the thread that closes it
     * @throws IOException if the channel cannot be made non-blocking or watched
     */
    TcpConnection(SocketChannel channel, byte[] leftover, int readBuffer, String peerId, InboundHandler handler,
                  Consumer<TcpConnection> onShutdown) throws IOException {
        this.channel = channel;
        this.peerId = peerId;
        this.handler = handler;
        this.onShutdown = onShutdown;
        channel.configureBlocking(false);
        this.writer = new FrameWriter(channel);
        try {
            this.input = new ChannelInput(channel, leftover, readBuffer, this::flushQueued);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        this.decoder = new FrameDecoder(input);
    }

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public void send(Frame frame) {
        requireKind(frame, Frame.Kind.ONE_WAY);
        write(frame, true);
    }

    @Override
    public void sendQueued(Frame frame) {
        requireKind(frame, Frame.Kind.ONE_WAY);
        write(frame, false);
    }

    @Override
    public CompletableFuture<Frame> request(Frame frame) {
        requireKind(frame, Frame.Kind.REQUEST);
        if (frame.correlation() != 0) {
            throw new IllegalArgumentException("a request gets its correlation from the connection: pass one made by"
                    + " Frame.request, correlation=" + frame.correlation());
        }
        long correlation = correlations.incrementAndGet();
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        // Registered before the write, so that shutdown, which marks closed before it fails what is
        // registered, either finds it or makes the write below refuse.
        pending.put(correlation, reply);
        try {
            write(new Frame(Frame.Kind.REQUEST, frame.type(), frame.epoch(), correlation, frame.payload()), true);
        } catch (TransportException e) {
            pending.remove(correlation);
            reply.completeExceptionally(e);
        }
        return reply;
    }

    @Override
    public void reply(Frame request, int type, long epoch, byte[] payload) {
        requireKind(request, Frame.Kind.REQUEST);
        write(new Frame(Frame.Kind.REPLY, type, epoch, request.correlation(), payload), false);
    }

    @Override
    public boolean isOpen() {
        return closed.get() == null;
    }

    @Override
    public boolean isBacklogged() {
        return writer.isBacklogged();
    }

    @Override
    public long sentBytes() {
        return writer.sentBytes();
    }

    @Override
    public void close() {
        shutdown(null);
    }

    @Override
    public String toString() {
        return "TcpConnection[peer=" + peerId + (isOpen() ? "" : ", closed") + "]";
    }

    /** Reads and dispatches frames until the connection ends, then tells the handler. */
    void readLoop() {
        FrameWriter.neverBlocks();
        Throwable cause = null;
        try {
            Frame frame;
            while ((frame = decoder.read()) != null && isOpen()) {
                dispatch(frame);
                if (decoder.drained()) {
                    handler.onDrained(this);
                }
            }
            if (isOpen()) {
                LOG.log(System.Logger.Level.INFO, "peer=" + peerId + " closed the connection");
                cause = new TransportException("peer=" + peerId + " closed the connection");
            }
        } catch (Throwable e) {
            cause = e;
            if (isOpen()) {
                LOG.log(System.Logger.Level.WARNING, "connection to peer=" + peerId + " failed and is closed", e);
            }
        }
        shutdown(cause);
        handler.onClosed(this, closed.get().cause());
        if (cause instanceof Error error) {
            throw error;
        }
    }

    private void dispatch(Frame frame) {
        if (frame.kind() != Frame.Kind.REPLY) {
            handler.onFrame(this, frame);
            return;
        }
        CompletableFuture<Frame> reply = pending.remove(frame.correlation());
        if (reply != null) {
            reply.complete(frame);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "dropped a reply no request waits for: peer=" + peerId + ", "
                    + frame);
        }
    }

    /** Writes {@code frame}; waits for room in the socket only if {@code mayWait} and the thread may block. */
    private void write(Frame frame, boolean mayWait) {
        if (!isOpen()) {
            throw new TransportException("connection to peer=" + peerId + " is closed; open a new one with"
                    + " Transport.connect", closed.get().cause());
        }
        ByteBuffer header = FrameDescriptor.newHeader();
        FrameDescriptor.putHeader(header, frame, new CRC32C());
        header.clear();
        try {
            if (!writer.write(new ByteBuffer[] {header, ByteBuffer.wrap(frame.payload())}, mayWait)) {
                input.wantWritable();
            }
        } catch (IOException e) {
            // Shutdown completes futures, whose actions may send on this connection: no lock is held here.
            shutdown(e);
            throw new TransportException("sending to peer=" + peerId + " failed, the connection is closed; reconnect",
                    e);
        }
    }

    /** On the reader thread, once the socket has room: writes what other threads could not. */
    private void flushQueued() {
        input.writableNoLongerWanted();
        try {
            if (!writer.flush()) {
                input.wantWritable();
            }
        } catch (IOException e) {
            shutdown(e);
        }
    }

    /** Marks the connection closed with its first cause, closes the socket and fails pending requests. */
    private void shutdown(Throwable cause) {
        if (!closed.compareAndSet(null, new Closed(cause))) {
            return;
        }
        for (AutoCloseable resource : new AutoCloseable[] {channel, writer, input}) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + resource + " of the connection to peer=" + peerId
                        + " failed", e);
            }
        }
        TransportException failure = new TransportException("connection to peer=" + peerId + " closed before the"
                + " reply came; the peer may or may not have handled the request: retry on a new connection only"
                + " if it is idempotent", cause);
        for (Long correlation : pending.keySet()) {
            CompletableFuture<Frame> reply = pending.remove(correlation);
            if (reply != null) {
                reply.completeExceptionally(failure);
            }
        }
        onShutdown.accept(this);
    }

    private static void requireKind(Frame frame, Frame.Kind kind) {
        if (frame.kind() != kind) {
            throw new IllegalArgumentException("expected a " + kind + " frame: " + frame);
        }
    }
}
