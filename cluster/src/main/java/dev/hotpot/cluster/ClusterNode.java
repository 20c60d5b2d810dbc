package dev.hotpot.cluster;

import dev.hotpot.HotpotException;
import dev.hotpot.coordinator.ClusterState;
import dev.hotpot.coordinator.CoordinatorClient;
import dev.hotpot.coordinator.CoordinatorServer;
import dev.hotpot.coordinator.CoordinatorSettings;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.coordinator.Member;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.transport.InboundHandler;
import dev.hotpot.transport.TcpTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * This JVM as a member of a cluster: it hosts the coordinator if it is a peer, listens for the
 * other nodes, heartbeats, follows the coordinator's state and gives each heap it opens its role.
 *
 * <p>Invariants: a node's data folder belongs to one cluster ({@value #CLUSTER_ID_FILE} holds its
 * id) and is refused by any other; frames on a connection belong to the heap it subscribed to.
 *
 * <p>Threading: safe from any thread; a heartbeat thread and a watch thread run in the background.
 */
public final class ClusterNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
    static final String CLUSTER_ID_FILE = "cluster.id";
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    /** Pause between attempts to join while the coordinator cannot take the command. */
    private static final long JOIN_RETRY_MILLIS = 100;
    /** Log bytes per answer to a new primary's FETCH. */
    private static final long FETCH_BYTES = 8L << 20;
    /** Ratis logs every setting it reads at INFO; held here so that the level set on it stays. */
    private static final java.util.logging.Logger RATIS_LOG = java.util.logging.Logger.getLogger("org.apache.ratis");

    private final ClusterSettings settings;
    private final CoordinatorServer server;
    private final CoordinatorClient coordinator;
    private final TcpTransport transport;
    private final Map<String, ClusteredHeap> heaps = new ConcurrentHashMap<>();
    /** Members this node is telling the coordinator it lost its connection to. */
    private final Set<String> suspicions = ConcurrentHashMap.newKeySet();
    private final Map<Connection, ClusteredHeap> bindings = new ConcurrentHashMap<>();
    private final Thread heartbeat;
    private final Thread watch;
    private final Object stateChanged = new Object();
    private volatile ClusterState state;
    private final int nodeIndex;
    private volatile boolean closed;
    private volatile boolean refreshRequested;

    private ClusterNode(ClusterSettings settings, CoordinatorServer server, CoordinatorClient coordinator,
                        TcpTransport transport, ClusterState state) {
        this.settings = settings;
        this.server = server;
        this.coordinator = coordinator;
        this.transport = transport;
        this.state = state;
        this.nodeIndex = state.members().get(settings.nodeId()).index();
        this.heartbeat = Thread.ofPlatform().daemon().name("hotpot-heartbeat").unstarted(this::heartbeats);
        this.watch = Thread.ofPlatform().daemon().name("hotpot-watch").unstarted(this::watchState);
    }

    /**
     * Starts this node: the coordinator (on a peer), then waits (bounded by the start timeout) for
     * a majority of peers, joins, and checks that {@code directory} holds this cluster's data or
     * none.
     */
    public static ClusterNode start(ClusterSettings settings, Path directory) {
        if (RATIS_LOG.getLevel() == null) {
            RATIS_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        CoordinatorSettings coordinatorSettings = CoordinatorSettings.defaults().withLease(settings.lease())
                .withTls(settings.tls());
        CoordinatorServer server = null;
        CoordinatorClient client = null;
        TcpTransport transport = null;
        try {
            Files.createDirectories(directory);
            if (settings.secret() == null) {
                LOG.log(System.Logger.Level.WARNING, "no hotpot.secretFile: the cluster is not authenticated and binds"
                        + " to loopback addresses only");
            }
            if (settings.isPeer()) {
                server = CoordinatorServer.start(settings.nodeId(), settings.peers(), directory.resolve("coordinator"),
                        coordinatorSettings);
            }
            client = new CoordinatorClient(settings.peers(), coordinatorSettings);
            client.awaitReady(settings.startTimeout());
            transport = new TcpTransport(settings.nodeId(), settings.secret());
            java.util.concurrent.atomic.AtomicReference<ClusterNode> self = new java.util.concurrent.atomic.AtomicReference<>();
            transport.listen(new InetSocketAddress(settings.host(), settings.port()), new InboundHandler() {
                @Override
                public void onFrame(Connection from, Frame frame) {
                    ClusterNode node = self.get();
                    if (node == null) {
                        // Still joining: nothing here serves a heap yet, and the peer tries again.
                        from.close();
                        return;
                    }
                    node.inbound(from, frame);
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                    ClusterNode node = self.get();
                    if (node != null) {
                        node.closedInbound(connection, cause);
                    }
                }
            });
            ClusterState joined = join(client, settings);
            checkClusterId(directory, joined.clusterId());
            ClusterNode node = new ClusterNode(settings, server, client, transport, joined);
            self.set(node);
            node.heartbeat.start();
            node.watch.start();
            LOG.log(System.Logger.Level.INFO, "node " + settings.nodeId() + " joined cluster " + joined.clusterId()
                    + " as member " + node.nodeIndex + (settings.isPeer() ? " (a peer)" : ""));
            return node;
        } catch (IOException | RuntimeException e) {
            closeQuietly(transport);
            closeQuietly(client);
            closeQuietly(server);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new HotpotException("cannot start cluster node " + settings.nodeId() + ": " + e, e);
        }
    }

    /**
     * Joins, retrying every {@link #JOIN_RETRY_MILLIS} while the coordinator has no majority (peers
     * restarting) or its leader is busy, until the start timeout.
     */
    private static ClusterState join(CoordinatorClient client, ClusterSettings settings) throws InterruptedIOException {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (true) {
            try {
                return client.join(Member.joining(settings.nodeId(), settings.host(), settings.port(), settings.isPeer()));
            } catch (dev.hotpot.coordinator.CoordinatorUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.log(System.Logger.Level.INFO, "node " + settings.nodeId() + " cannot join yet: " + e.getMessage());
            }
            try {
                Thread.sleep(JOIN_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while joining the cluster");
            }
        }
    }

    /** Opens heap {@code config.name()} in this node's folder as a cluster heap. */
    public Heap openHeap(HeapConfig config) {
        ClusteredHeap heap = ClusteredHeap.open(this, config);
        heaps.put(config.name(), heap);
        return heap.heap();
    }

    /** Whether this node is the primary of heap {@code name} (false if it does not hold it). */
    public boolean isPrimary(String name) {
        ClusteredHeap heap = heaps.get(name);
        return heap != null && heap.primaryRole() != null;
    }

    private static void checkClusterId(Path directory, String clusterId) throws IOException {
        Path file = directory.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            String found = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!found.equals(clusterId)) {
                throw new HotpotException("the folder " + directory + " holds data of cluster " + found + ", not of the"
                        + " cluster these peers form (" + clusterId + "); give this node an empty folder or its own");
            }
            return;
        }
        try (var entries = Files.list(directory)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().equals("coordinator"))) {
                throw new HotpotException("the folder " + directory + " holds data that belongs to no cluster (a"
                        + " single-node heap?); give this node an empty folder");
            }
        }
        Path temporary = directory.resolve(CLUSTER_ID_FILE + ".new");
        Files.writeString(temporary, clusterId, StandardCharsets.UTF_8);
        try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    TcpTransport transport() {
        return transport;
    }

    /** The coordinator's state as this node last read it. */
    ClusterState state() {
        return state;
    }

    /** The heaps this node has open, by name. */
    Map<String, ClusteredHeap> heaps() {
        return heaps;
    }

    // ---- inbound frames -----------------------------------------------------------------------

    private void inbound(Connection from, Frame frame) {
        if (frame.type() == Messages.SUBSCRIBE) {
            Messages.Subscribe subscribe = Messages.Subscribe.decode(frame.payload());
            ClusteredHeap heap = heaps.get(subscribe.heap());
            Primary primary = heap == null ? null : heap.primaryRole();
            if (primary == null) {
                from.reply(frame, Messages.SUBSCRIBE, frame.epoch(),
                        new Messages.Subscribed(Messages.SubscribeStatus.NOT_PRIMARY, 0, 0, 0).encode());
                return;
            }
            bindings.put(from, heap);
            primary.onSubscribe(from, frame, subscribe);
            return;
        }
        if (frame.type() == Messages.STATUS) {
            from.reply(frame, Messages.STATUS, frame.epoch(),
                    NodeStatus.of(nodeId(), state, heaps).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (frame.type() == Messages.FETCH) {
            Messages.Fetch fetch = Messages.Fetch.decode(frame.payload());
            ClusteredHeap heap = heaps.get(fetch.heap());
            // Off the transport thread: it reads the log and sends a large reply.
            Thread.ofVirtual().start(() -> from.reply(frame, Messages.FETCH, frame.epoch(), heap == null
                    ? Messages.Records.encode(-1, 0, List.of()) : heap.recordsAfter(fetch.afterSequence(), FETCH_BYTES)));
            return;
        }
        ClusteredHeap heap = bindings.get(from);
        Primary primary = heap == null ? null : heap.primaryRole();
        if (primary != null && primary.isStale(frame)) {
            refuseStale(from, frame, heap, primary);
            return;
        }
        switch (frame.type()) {
            case Messages.ACK -> {
                if (primary != null) {
                    primary.onAck(from, Messages.Ack.decode(frame.payload()));
                }
            }
            case Messages.COMMIT -> {
                if (primary == null) {
                    from.reply(frame, Messages.COMMIT, frame.epoch(),
                            new Messages.Committed(Messages.CommitStatus.NOT_PRIMARY, 0, "").encode());
                } else {
                    primary.onCommit(from, frame, Messages.Commit.decode(frame.payload()));
                }
            }
            case Messages.SYNC -> {
                if (primary == null) {
                    from.close();
                } else {
                    primary.onSync(from, frame);
                }
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, "node " + from.peerId() + " sent message type " + frame.type()
                        + ", which no primary takes; connection closed");
                from.close();
            }
        }
    }

    /**
     * Refuses a frame of an epoch before {@code primary}'s reign: a commit is answered
     * {@code NOT_PRIMARY} (its sender looks the primary up again, nothing was changed), a barrier
     * request closes the connection (its sender reconnects), anything else is dropped; it is logged.
     */
    private static void refuseStale(Connection from, Frame frame, ClusteredHeap heap, Primary primary) {
        String why = "stale epoch " + frame.epoch() + ": node " + heap.nodeId() + " is primary of heap " + heap.name()
                + " in epoch " + primary.epoch();
        LOG.log(System.Logger.Level.WARNING, "refused message type " + frame.type() + " from node " + from.peerId()
                + ", " + why);
        if (frame.type() == Messages.COMMIT) {
            from.reply(frame, Messages.COMMIT, primary.epoch(),
                    new Messages.Committed(Messages.CommitStatus.NOT_PRIMARY, 0, why).encode());
        } else if (frame.type() == Messages.SYNC) {
            from.close();
        }
    }

    private void closedInbound(Connection connection, Throwable cause) {
        if (cause != null) {
            suspect(connection.peerId());
        }
        ClusteredHeap heap = bindings.remove(connection);
        Primary primary = heap == null ? null : heap.primaryRole();
        if (primary != null) {
            primary.onClosed(connection);
        }
    }

    // ---- coordinator ----------------------------------------------------------------------------

    private void heartbeats() {
        while (!closed) {
            try {
                coordinator.heartbeat(settings.nodeId(), durablePositions());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "heartbeat failed: " + e);
            }
            LockSupport.parkNanos(HEARTBEAT.toNanos());
        }
    }

    private Map<String, Long> durablePositions() {
        Map<String, Long> positions = new HashMap<>();
        heaps.forEach((name, heap) -> positions.put(name, heap.durableSequence()));
        return positions;
    }

    /**
     * Tells the coordinator, from a thread of its own, that this node lost its connection to
     * member {@code nodeId} or could not open one: if that member's process is gone, it is
     * replaced at once rather than after its lease. At most one report per member is under way.
     */
    void suspect(String nodeId) {
        if (closed || nodeId.equals(settings.nodeId()) || !suspicions.add(nodeId)) {
            return;
        }
        Thread.ofVirtual().name("hotpot-suspect-" + nodeId).start(() -> {
            try {
                coordinator.suspect(settings.nodeId(), durablePositions(), nodeId);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "reporting " + nodeId + " suspected failed: " + e);
            } finally {
                suspicions.remove(nodeId);
            }
        });
    }

    private void watchState() {
        while (!closed) {
            try {
                ClusterState next = refreshRequested ? coordinator.state()
                        : coordinator.awaitChange(state.version(), Duration.ofMillis(200));
                refreshRequested = false;
                publish(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot read the cluster state: " + e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private void publish(ClusterState next) {
        if (next.version() > state.version()) {
            state = next;
            synchronized (stateChanged) {
                stateChanged.notifyAll();
            }
        }
        heaps.forEach((name, heap) -> heap.assigned(next.heaps().get(name)));
    }

    /** Asks the watch thread to read the coordinator's state and pass it to the heaps at its next turn, changed or not. */
    void refreshSoon() {
        refreshRequested = true;
    }

    /**
     * The assignment of heap {@code name} once its epoch passes {@code knownEpoch}, or the current
     * one at {@code deadline}.
     */
    HeapAssignment awaitAssignment(String name, long knownEpoch, long deadline) {
        while (true) {
            try {
                ClusterState current = coordinator.state();
                HeapAssignment assignment = current.heaps().get(name);
                if (assignment.epoch() > knownEpoch || System.nanoTime() > deadline) {
                    return assignment;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** An authenticated connection to member {@code nodeId}, whose frames go to {@code handler}. */
    Connection connect(String nodeId, InboundHandler handler) throws IOException {
        Member member = state.members().get(nodeId);
        if (member == null) {
            member = coordinator.state().members().get(nodeId);
        }
        if (member == null) {
            throw new IOException("node " + nodeId + " is not a member of the cluster");
        }
        return transport.connect(nodeId, new InetSocketAddress(member.host(), member.port()), handler);
    }

    String nodeId() {
        return settings.nodeId();
    }

    /** The members the coordinator last said are live. */
    List<String> liveMembers() {
        return state.members().values().stream().filter(Member::live).map(Member::id).toList();
    }

    int nodeIndex() {
        return nodeIndex;
    }

    ClusterSettings settings() {
        return settings;
    }

    CoordinatorClient coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.interrupt();
        watch.interrupt();
        heaps.values().forEach(ClusteredHeap::close);
        closeQuietly(transport);
        closeQuietly(coordinator);
        closeQuietly(server);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + closeable + " failed: " + e);
        }
    }
}
