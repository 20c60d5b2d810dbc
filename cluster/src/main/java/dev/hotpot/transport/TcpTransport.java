package dev.hotpot.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Transport} on TCP: one socket per connection with {@code TCP_NODELAY}, no batching
 * delay, the authentication of {@link Handshake} before any frame.
 *
 * <p>Invariants: a connection reaches a handler only after its handshake succeeded; every failed
 * handshake closes its socket, is logged at WARNING with the remote address and reason, and
 * counts in {@link #refusedConnections()}; once {@link #close} began, no listener or connection of
 * this transport stays open, and a handshake under way is refused when it ends (by its deadline).
 *
 * <p>Threading: safe from any thread. Each listener has an accept thread; each connection has a
 * reader thread (for an inbound connection the one that ran its handshake, so that a slow or
 * hostile peer never holds up the accept loop).
 */
public final class TcpTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** Read buffer per connection: a burst of small frames costs one read system call. */
    private static final int READ_BUFFER = 64 << 10;
    /** Read buffer of a handshake: its messages are small, and what it reads past them moves to the connection. */
    private static final int HANDSHAKE_BUFFER = 4 << 10;
    /** Pause of an accept loop after a failed accept (out of file descriptors), instead of spinning. */
    private static final long ACCEPT_RETRY_NANOS = 10_000_000;

    private final Handshake handshake;
    private final Set<ServerSocketChannel> listeners = ConcurrentHashMap.newKeySet();
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param selfId       this node's id, 1 to 255 bytes of UTF-8
     * @param secretOrNull the cluster secret, shared by every node (32 random bytes or more); null
     *                     for a cluster without one, which proves nothing and must stay on loopback
     */
    public TcpTransport(String selfId, byte[] secretOrNull) {
        this(selfId, secretOrNull, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * @param handshakeTimeout how long opening a connection may take, for the TCP connection
     *                         (connector) and for the handshake (both sides)
     */
    public TcpTransport(String selfId, byte[] secretOrNull, Duration handshakeTimeout) {
        this.handshake = new Handshake(Objects.requireNonNull(selfId, "selfId"), secretOrNull, handshakeTimeout);
    }

    @Override
    public InetSocketAddress listen(InetSocketAddress bind, InboundHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(bind);
            register(listeners, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        Thread.ofPlatform().daemon().name("hotpot-transport-accept-" + address.getPort())
                .start(() -> acceptLoop(server, handler));
        return address;
    }

    @Override
    public Connection connect(String peerId, InetSocketAddress address, InboundHandler handler) throws IOException {
        Objects.requireNonNull(peerId, "peerId");
        return connectTo(peerId, address, handler);
    }

    /**
     * Connects to whichever node listens at {@code address}, once it proved the secret: for tools
     * that know an address, not a node id. {@link Connection#peerId()} then says which node it is.
     */
    public Connection connectToAny(InetSocketAddress address, InboundHandler handler) throws IOException {
        return connectTo(null, address, handler);
    }

    private Connection connectTo(String expectedPeerId, InetSocketAddress address, InboundHandler handler)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, (int) handshake.timeout().toMillis());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            HandshakeInput in = input(channel);
            String peerId;
            try {
                peerId = handshake.asConnector(channel, in, expectedPeerId);
            } catch (HandshakeException e) {
                throw refuse(address, e);
            }
            TcpConnection connection = open(channel, in, peerId, handler);
            Thread.ofPlatform().daemon().name("hotpot-transport-to-" + peerId).start(connection::readLoop);
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Handshakes this node failed, as listener or connector, since the transport was created. */
    public long refusedConnections() {
        return refused.get();
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocketChannel server : listeners) {
            closeQuietly(server);
        }
        for (TcpConnection connection : connections) {
            connection.close();
        }
    }

    private void acceptLoop(ServerSocketChannel server, InboundHandler handler) {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accepting a connection failed; retrying", e);
                LockSupport.parkNanos(ACCEPT_RETRY_NANOS);
                continue;
            }
            if (closed || !server.isOpen()) {
                // Accepted as the listener closed (the socket lives until accept returns): never served.
                closeQuietly(channel);
                return;
            }
            Thread.ofPlatform().daemon().name("hotpot-transport-handshake").start(() -> serveInbound(channel, handler));
        }
    }

    /** Runs the handshake of an accepted channel, then its read loop, on the calling thread. */
    private void serveInbound(SocketChannel channel, InboundHandler handler) {
        SocketAddress remote = null;
        try {
            remote = channel.getRemoteAddress();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            HandshakeInput in = input(channel);
            String peerId = handshake.asListener(channel, in);
            TcpConnection connection = open(channel, in, peerId, handler);
            Thread.currentThread().setName("hotpot-transport-from-" + peerId);
            connection.readLoop();
        } catch (ClosedUnheardException e) {
            LOG.log(System.Logger.Level.DEBUG, "inbound connection from " + remote + ": " + e.getMessage());
            closeQuietly(channel);
        } catch (HandshakeException e) {
            refuse(remote, e);
            closeQuietly(channel);
        } catch (IOException | TransportException e) {
            LOG.log(System.Logger.Level.WARNING, "inbound connection from " + remote + " failed as it opened", e);
            closeQuietly(channel);
        }
    }

    /** Makes a connection of a channel whose handshake succeeded, registered for {@link #close}. */
    private TcpConnection open(SocketChannel channel, HandshakeInput in, String peerId, InboundHandler handler)
            throws IOException {
        TcpConnection connection = new TcpConnection(channel, in.takeBuffered(), READ_BUFFER, peerId, handler,
                connections::remove);
        register(connections, connection);
        LOG.log(System.Logger.Level.DEBUG, () -> "connected to peer=" + peerId + " at " + remote(channel));
        return connection;
    }

    /** Adds {@code resource} to {@code set} and closes it at once if the transport closed meanwhile. */
    private <T extends AutoCloseable> void register(Set<T> set, T resource) {
        set.add(resource);
        if (closed) {
            closeQuietly(resource);
            throw new TransportException("transport of node=" + handshake.selfId() + " is closed; create a new one");
        }
    }

    private HandshakeException refuse(SocketAddress remote, HandshakeException e) {
        refused.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "refused connection with " + remote + ": " + e.getMessage());
        return e;
    }

    private static HandshakeInput input(SocketChannel channel) throws IOException {
        return new HandshakeInput(channel.socket().getInputStream());
    }

    /** The blocking input of a channel during its handshake, which hands over what it read past the handshake. */
    private static final class HandshakeInput extends BufferedInputStream {
        HandshakeInput(InputStream in) {
            super(in, HANDSHAKE_BUFFER);
        }

        /** The bytes read from the channel and not yet returned; the stream is not to be used afterwards. */
        byte[] takeBuffered() {
            byte[] rest = Arrays.copyOfRange(buf, pos, count);
            pos = count;
            return rest;
        }
    }

    private static String remote(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "(closed)";
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + resource + " failed", e);
        }
    }
}
