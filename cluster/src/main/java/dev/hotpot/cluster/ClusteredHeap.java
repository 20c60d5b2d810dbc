package dev.hotpot.cluster;

import dev.hotpot.ConfigurationException;
import dev.hotpot.HotpotException;
import dev.hotpot.coordinator.CoordinatorClient;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RedoLog;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.transport.TcpTransport;
import dev.hotpot.tx.TransactionManager;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * This node's copy of one cluster heap and its role in it: primary ({@link Primary}) or follower
 * ({@link Follower}), as the coordinator's assignment says. Opening it brings the local copy in
 * line with the primary first: streamed from the primary's log if that still has this node's last
 * record, else replaced by an image of the primary's heap.
 *
 * <p>Invariants: the heap is handed to the application only once this node has a role; a node
 * whose copy may hold records the cluster does not have (it lost the primary role while running)
 * stops its JVM rather than serve them.
 *
 * <p>Threading: role changes run on the node's watch thread, under this object's lock; the
 * getters are safe from any thread.
 */
final class ClusteredHeap {
    private static final System.Logger LOG = System.getLogger(ClusteredHeap.class.getName());
    /**
     * How much of its log a node keeps past checkpoints: a node that returns with a last record
     * in this window is streamed the rest, one that returns with an older one gets an image.
     */
    static final long RETAINED_LOG = 64L << 20;
    /** Exit status of a node that stopped because its copy can no longer be trusted. */
    static final int EXIT_RESYNC = 75;
    /** Marks a heap folder whose image is being replaced: its copy is unusable until that ends. */
    private static final String REPLACING = "replacing-image";

    private final ClusterNode node;
    private final HeapConfig config;
    private final int replicas;
    private final Position applied = new Position(0);
    private final Object roleChanged = new Object();
    private Heap heap;
    private LogIndex index;
    private final RecentCommits recent = new RecentCommits();
    private final RecentCommitsKeeper keeper;
    private final ClusterMetrics metrics;
    /** Builds records shipped from the primary for the local log; used by one thread at a time (see {@link #appendShipped}). */
    private final dev.hotpot.log.RecordBuffer shipped = new dev.hotpot.log.RecordBuffer();
    /**
     * Records appended to the local log but not yet applied: the follower's (on the primary
     * connection's reader thread, or the subscribing thread while it hands over the frames that
     * came early), or the promoting thread's after it stopped.
     */
    private final java.util.ArrayDeque<Messages.Entry> pending = new java.util.ArrayDeque<>();
    /** The sequence of the last record in the local log. */
    private volatile long lastAppended;
    /** Where the retained log starts; the follower's. */
    private long retainedFrom;
    private volatile Primary primary;
    private volatile Follower follower;
    /** The primary this node last followed, while it follows one: taking over from it is a failover. */
    private volatile String followed;
    private volatile long epoch;
    private volatile long durableSequence;
    /** Whether the application has the heap: from then on its copy cannot be replaced in place. */
    private volatile boolean serving;

    private ClusteredHeap(ClusterNode node, HeapConfig config, int replicas) {
        this.node = node;
        this.keeper = new RecentCommitsKeeper(recent, config.heapDirectory(), config.checkpointListener(),
                node.settings().steps());
        this.config = config.withCheckpointListener(keeper);
        this.replicas = replicas;
        this.metrics = new ClusterMetrics(config.meterRegistry(), config.name(), node.nodeId(), node.transport(),
                TcpTransport::refusedConnections);
    }

    /**
     * Opens heap {@code config.name()} on this node as a member of the cluster: registers it in
     * the catalog if new, then takes the role the coordinator gives this node.
     */
    static ClusteredHeap open(ClusterNode node, HeapConfig config) {
        if (config.durability() != dev.hotpot.Durability.SYNC) {
            throw new ConfigurationException("hotpot.durability=" + config.durability().name().toLowerCase(java.util.Locale.ROOT)
                    + " is not available on a cluster heap: its commits are durable on every replica before they return"
                    + " (sync); drop the setting");
        }
        HeapAssignment assignment = node.coordinator().createHeapIfAbsent(config.name(), config.sizeBytes(),
                node.settings().replicas(), node.nodeId());
        if (assignment.sizeBytes() != config.sizeBytes() && Files.exists(config.heapDirectory())) {
            throw new ConfigurationException("heap " + config.name() + " has size " + assignment.sizeBytes()
                    + " in the cluster but " + config.sizeBytes() + " was asked for here");
        }
        ClusteredHeap clustered = new ClusteredHeap(node, config.withSize(assignment.sizeBytes()), assignment.replicas());
        clustered.join(assignment);
        clustered.serving = true;
        return clustered;
    }

    private void join(HeapAssignment first) {
        long deadline = System.nanoTime() + node.settings().startTimeout().toNanos();
        HeapAssignment assignment = first;
        while (true) {
            if (node.nodeId().equals(assignment.primary())) {
                if (Files.exists(replacingMark())) {
                    throw new HotpotException("heap " + name() + " on node " + nodeId() + ": its copy was being"
                            + " replaced when the node stopped, yet the coordinator records it as primary; restore the"
                            + " folder " + config.heapDirectory() + " from another node's copy");
                }
                if (heap == null) {
                    openLocal();
                }
                try {
                    if (!assignment.inSync().isEmpty()) {
                        // The backups' logs run on from where they were; this node's log restarted at open.
                        // One of them takes over, and this node catches up from it.
                        try {
                            assignment = node.coordinator().stepDown(name(), assignment.epoch(), nodeId());
                            continue;
                        } catch (dev.hotpot.coordinator.EpochMismatchException moved) {
                            throw moved;
                        } catch (dev.hotpot.coordinator.CommandRefusedException noBackupLive) {
                            LOG.log(System.Logger.Level.INFO, "heap " + name() + ": " + noBackupLive.getMessage()
                                    + "; this node stays primary");
                        }
                    }
                    // A new epoch before anything is logged: no sequence of this life can repeat one of an earlier one.
                    becomePrimary(node.coordinator().renewEpoch(name(), assignment.epoch(), nodeId()));
                    return;
                } catch (dev.hotpot.coordinator.EpochMismatchException moved) {
                    assignment = moved.current();
                    continue;
                }
            }
            if (assignment.primary() != null && follow(assignment)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterUnavailableException("heap " + name() + " on node " + nodeId() + ": no primary to"
                        + " follow within startTimeout=" + node.settings().startTimeout() + " (last assignment "
                        + assignment + ")");
            }
            assignment = node.awaitAssignment(name(), assignment.epoch(),
                    Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    /** Subscribes to the primary of {@code assignment}; false if it could not be reached. */
    private boolean follow(HeapAssignment assignment) {
        followed = assignment.primary();
        long lastSequence = -1;
        if (heap == null && Files.exists(config.heapDirectory()) && !Files.exists(replacingMark())) {
            openLocal();
        }
        if (heap != null) {
            // A follower that stopped or failed may have appended records it had not forced yet, and
            // the primary counts every record this subscription names as durable here.
            heap.redoLog().forceAll();
            durableSequence = lastAppended;
            lastSequence = lastAppended;
        }
        PrimaryStream stream = new PrimaryStream();
        Connection connection = null;
        Messages.Subscribed subscribed;
        long primaryEpoch;
        try {
            connection = node.connect(assignment.primary(), stream);
            Frame reply = connection.request(Frame.request(Messages.SUBSCRIBE, assignment.epoch(),
                    new Messages.Subscribe(name(), nodeId(), lastSequence, true).encode()))
                    .get(node.settings().commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            subscribed = Messages.Subscribed.decode(reply.payload());
            primaryEpoch = reply.epoch();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.INFO, "heap " + name() + ": cannot subscribe to primary " + assignment.primary()
                    + " yet: " + e);
            if (connection != null) {
                // A primary that answers late would stream into a queue no one takes from.
                connection.close();
            }
            node.suspect(assignment.primary());
            return false;
        }
        switch (subscribed.status()) {
            case NOT_PRIMARY -> {
                connection.close();
                return false;
            }
            case NEED_IMAGE -> {
                if (serving) {
                    resynchronizeByRestart("primary " + assignment.primary() + " no longer has this node's last record"
                            + " (sequence " + Long.toHexString(lastSequence) + ") in its log");
                }
                if (heap != null) {
                    heap.close();
                    heap = null;
                }
                receiveImage(subscribed, stream, connection);
                openLocal();
            }
            case STREAM -> {
                if (heap == null) {
                    openLocal();
                }
                // Records appended under an earlier primary and not yet applied are in the new primary's log
                // up to the stream's start: they are committed once its commit point passes that position.
                rekeyPending(subscribed.position());
            }
        }
        // Commits carry this epoch, and the primary refuses any of an epoch before its reign: the assignment
        // read before subscribing may be older than that (a primary that restarts renews its epoch).
        setEpoch(Math.max(assignment.epoch(), primaryEpoch));
        // The stream is fenced at the primary's own epoch when it answered: it may lag the coordinator's by a moment.
        Follower started = new Follower(this, assignment.primary(), connection, primaryEpoch);
        heap.transactionManager().setRoute(new RemoteCommits(this));
        follower = started;
        // Durable up to the stream's start (forced above, or the image): a primary with nothing to
        // ship can count this node in.
        connection.send(Frame.oneWay(Messages.ACK, primaryEpoch, new Messages.Ack(subscribed.position(), lastAppended).encode()));
        stream.start(started);
        signalRoleChange();
        LOG.log(System.Logger.Level.INFO, "node " + nodeId() + " follows primary " + assignment.primary() + " of heap "
                + name() + " in epoch " + assignment.epoch() + " (" + subscribed.status() + ")");
        return true;
    }

    /**
     * Writes the primary's image into the (closed) local heap and takes the primary's recent
     * transaction ids in place of this node's, marking the folder while the copy is incomplete.
     */
    private void receiveImage(Messages.Subscribed subscribed, PrimaryStream stream, Connection connection) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(config.directory());
            Files.write(replacingMark(), new byte[0]);
            Heap.replaceImage(config, subscribed.sequence(), image -> {
                long received = 0;
                while (received < subscribed.pages()) {
                    Frame frame = stream.take(connection);
                    if (frame.type() != Messages.IMAGE) {
                        throw new ProtocolException("expected image pages from the primary, got message type "
                                + frame.type());
                    }
                    Messages.Image pages = Messages.Image.decode(frame.payload());
                    long count = pages.pages().byteSize() / Pages.SIZE;
                    if (pages.firstPage() != 1 + received || pages.pages().byteSize() % Pages.SIZE != 0
                            || (pages.firstPage() + count) * Pages.SIZE > image.byteSize()) {
                        throw new ProtocolException("image pages out of order or outside the heap: first page "
                                + pages.firstPage() + ", " + count + " pages, expected page " + (1 + received));
                    }
                    MemorySegment.copy(pages.pages(), 0, image, pages.firstPage() * Pages.SIZE, pages.pages().byteSize());
                    metrics.catchUpReceived(pages.pages().byteSize());
                    received += count;
                    settings().steps().reached(ProtocolSteps.Step.CATCHING_UP);
                }
            });
            Frame ids = stream.take(connection);
            if (ids.type() != Messages.RECENT_IDS) {
                throw new ProtocolException("expected the primary's recent transaction ids after its image, got message"
                        + " type " + ids.type());
            }
            keeper.replaceWith(Messages.RecentIds.decode(ids.payload()).pairs());
            Files.delete(replacingMark());
        } catch (IOException e) {
            throw new HotpotException("cannot write the image of heap " + name() + " into " + config.heapDirectory()
                    + " (" + e + ")", e);
        }
        LOG.log(System.Logger.Level.INFO, "heap " + name() + ": received an image of " + subscribed.pages() + " pages"
                + " as of sequence " + Long.toHexString(subscribed.sequence()) + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    private void openLocal() {
        keeper.load();
        // Beside the heap's folder, whose content an image replaces: the ids of every life of this node count.
        // Its own ids among the recent ones count too: a node given an empty folder has no ceiling yet.
        TxIdCeilingFile ceiling = new TxIdCeilingFile(config.directory().resolve(config.name() + ".txid-ceiling"));
        long idFloor = Math.max(ceiling.read(), recent.counterAfter(node.nodeIndex()));
        heap = Heap.open(config);
        TransactionManager manager = heap.transactionManager();
        manager.setNode(node.nodeIndex());
        manager.reserveTxIds(idFloor, ceiling);
        long[] tail = manager.logTail();
        index = new LogIndex(tail[1], tail[0]);
        applied.advanceTo(tail[1]);
        durableSequence = tail[1];
        lastAppended = tail[1];
        pending.clear();
        metrics.resetApplyLag();
        retainedFrom = tail[0];
        heap.redoLog().retainFrom(retainedFrom);
    }

    private Path replacingMark() {
        return config.directory().resolve(config.name() + "." + REPLACING);
    }

    // ---- role changes -------------------------------------------------------------------------

    private void setEpoch(long value) {
        epoch = value;
        metrics.epoch(value);
    }

    private void becomePrimary(HeapAssignment assignment) {
        setEpoch(assignment.epoch());
        Primary started = new Primary(this, assignment);
        primary = started;
        started.start();
        signalRoleChange();
    }

    /** The coordinator's current assignment of this heap: takes up the role it gives this node. */
    synchronized void assigned(HeapAssignment assignment) {
        if (assignment == null) {
            return;
        }
        Primary current = primary;
        if (current != null) {
            if (!nodeId().equals(assignment.primary())) {
                lostPrimaryRole(assignment);
            }
            current.update(assignment);
            setEpoch(current.epoch());
            return;
        }
        Follower following = follower;
        if (nodeId().equals(assignment.primary())) {
            if (following != null) {
                following.stop();
                follower = null;
            }
            if (followed != null) {
                metrics.failover();
                followed = null;
            }
            adoptLongerLogs();
            heap.redoLog().forceAll();
            applyPending();
            becomePrimary(assignment);
            return;
        }
        if (following != null && following.primary().equals(assignment.primary()) && following.connection().isOpen()) {
            setEpoch(Math.max(epoch, assignment.epoch()));
            return;
        }
        if (following != null) {
            following.stop();
            follower = null;
        }
        setEpoch(Math.max(epoch, assignment.epoch()));
        if (assignment.primary() != null) {
            follow(assignment);
        }
    }

    /**
     * Reconciliation of a node promoted to primary, before it serves: every other live member may
     * hold records of the old primary this log lacks (never acknowledged, since this node was in
     * the in-sync set, but possibly seen as an unknown outcome). Each is asked for the records after
     * this log's last one, which are appended here, so that every member's log is then a prefix of
     * this one and follows it without an image. A member that does not answer in time is skipped.
     */
    private void adoptLongerLogs() {
        for (String member : node.liveMembers()) {
            if (member.equals(nodeId())) {
                continue;
            }
            settings().steps().reached(ProtocolSteps.Step.RECONCILING);
            try (Connection connection = node.connect(member, (from, frame) -> { })) {
                while (true) {
                    Frame reply = connection.request(Frame.request(Messages.FETCH, epoch,
                            new Messages.Fetch(name(), lastAppended).encode())).get(1, TimeUnit.SECONDS);
                    Messages.Records records = Messages.Records.decode(reply.payload());
                    if (records.prevSequence() != lastAppended || records.entries().isEmpty()) {
                        break;
                    }
                    for (Messages.Entry entry : records.entries()) {
                        appendShipped(entry);
                        metrics.catchUpReceived(entry.body().byteSize());
                    }
                    LOG.log(System.Logger.Level.INFO, "heap " + name() + ": adopted " + records.entries().size()
                            + " records of the old primary from " + member + ", up to sequence "
                            + Long.toHexString(lastAppended));
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.INFO, "heap " + name() + ": member " + member + " not asked for a longer"
                        + " log (" + e + ")");
            }
        }
    }

    /** Applies every pending record: on promotion, since this node's log now defines what is committed. */
    private void applyPending() {
        dev.hotpot.tx.RecordApplier applier = heap.transactionManager().newApplier();
        while (!pending.isEmpty()) {
            Messages.Entry entry = pending.removeFirst();
            if (!applier.applyShipped(entry.body(), entry.sequence())) {
                throw new ProtocolException("heap " + name() + ": pending record of sequence "
                        + Long.toHexString(entry.sequence()) + " is not after the clock " + heap.transactionManager().clock());
            }
            applied(entry.sequence());
        }
    }

    /**
     * The records after {@code sequence} in the local log, at most {@code maxBytes} of them, for a
     * member promoted to primary (empty, with previous sequence -1, if the log lacks that record).
     */
    byte[] recordsAfter(long sequence, long maxBytes) {
        long from = index.endOf(sequence);
        if (from < 0) {
            return Messages.Records.encode(-1, 0, java.util.List.of());
        }
        java.util.List<Messages.Entry> entries = new java.util.ArrayList<>();
        RedoLog log = heap.redoLog();
        long to = Math.min(log.writtenPosition(), from + maxBytes);
        if (from < to) {
            log.scan(from, to, (lsn, txId, seq, body) -> entries.add(new Messages.Entry(
                    lsn + dev.hotpot.log.LogRecordDescriptor.recordLength((int) body.byteSize()), txId, seq, body)));
        }
        return Messages.Records.encode(sequence, 0, entries);
    }

    /** The stream from the primary ended (its connection closed or a frame was wrong): follow again. */
    void streamEnded(Follower ended, Throwable cause) {
        if (cause != null) {
            node.suspect(ended.primary());
        }
        node.refreshSoon();
    }

    /**
     * This node was primary and the coordinator moved the role elsewhere: its working copy may
     * hold records the new primary lacks, which nothing here can take back. The JVM stops; on
     * restart the node replaces its copy from the new primary.
     */
    void lostPrimaryRole(HeapAssignment assignment) {
        resynchronizeByRestart("this node is no longer primary (epoch " + assignment.epoch() + " made "
                + assignment.primary() + " primary), and its copy may hold commits the cluster does not have");
    }

    /**
     * Stops the JVM: this node's copy must be replaced by the primary's image, which cannot happen
     * under a running application. On restart the node catches up before it hands out the heap.
     */
    void resynchronizeByRestart(String why) {
        LOG.log(System.Logger.Level.ERROR, "node " + nodeId() + ", heap " + name() + ": " + why + ". The JVM stops now"
                + " (exit status " + EXIT_RESYNC + "); restart it to catch up from the primary.");
        Runtime.getRuntime().halt(EXIT_RESYNC);
    }

    private void signalRoleChange() {
        synchronized (roleChanged) {
            roleChanged.notifyAll();
        }
    }

    /**
     * The connection to the primary to send a commit on: not {@code failed}, which did not answer.
     * Waits for the role to change until {@code deadline}; null if none by then, or if this node
     * became primary.
     */
    Connection awaitPrimaryConnection(Connection failed, long deadline) {
        synchronized (roleChanged) {
            while (true) {
                if (primary != null) {
                    return null;
                }
                Follower current = follower;
                if (current != null && current.connection() != failed && current.connection().isOpen()) {
                    return current.connection();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                node.refreshSoon();
                try {
                    TimeUnit.NANOSECONDS.timedWait(roleChanged, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    // ---- state --------------------------------------------------------------------------------

    Heap heap() {
        return heap;
    }

    String name() {
        return config.name();
    }

    String nodeId() {
        return node.nodeId();
    }

    int replicas() {
        return replicas;
    }

    long epoch() {
        return epoch;
    }

    ClusterSettings settings() {
        return node.settings();
    }

    CoordinatorClient coordinator() {
        return node.coordinator();
    }

    TransactionManager manager() {
        return heap.transactionManager();
    }

    RedoLog log() {
        return heap.redoLog();
    }

    LogIndex index() {
        return index;
    }

    /** Whether this node follows a primary's stream now. */
    boolean isFollowing() {
        return follower != null;
    }

    /** The sequence of the last record applied to this node's copy. */
    long appliedSequence() {
        return applied.get();
    }

    ClusterMetrics metrics() {
        return metrics;
    }

    RecentCommits recent() {
        return recent;
    }

    Primary primaryRole() {
        return primary;
    }

    /** The last sequence this node has durable in its log, for the coordinator's choice of a new primary. */
    long durableSequence() {
        Primary current = primary;
        return current != null ? heap.transactionManager().clock() : durableSequence;
    }

    private void rekeyPending(long position) {
        java.util.List<Messages.Entry> entries = new java.util.ArrayList<>(pending);
        pending.clear();
        for (Messages.Entry entry : entries) {
            pending.addLast(new Messages.Entry(position, entry.txId(), entry.sequence(), entry.body()));
        }
    }

    java.util.ArrayDeque<Messages.Entry> pending() {
        return pending;
    }

    long lastAppended() {
        return lastAppended;
    }

    /**
     * Appends a record of the primary's log to the local log, as the next pending record; by the
     * follower, or by the promoting thread once that stopped.
     */
    void appendShipped(Messages.Entry entry) {
        shipped.copyBody(entry.body());
        long sequence = entry.sequence();
        shipped.seal(entry.txId(), (int) TransactionManager.epochOf(sequence));
        long end = heap.redoLog().append(shipped, () -> sequence);
        index.add(sequence, end);
        recent.logged(entry.txId(), sequence);
        metrics.appended();
        lastAppended = sequence;
        retainTail(end);
        pending.addLast(entry);
    }

    /** Lets go of log segments older than the retained window. */
    private void retainTail(long written) {
        if (written - retainedFrom > 2 * RETAINED_LOG) {
            retainedFrom = index.floorEnd(written - RETAINED_LOG);
            heap.redoLog().retainFrom(retainedFrom);
            index.forgetBelow(retainedFrom);
        }
    }

    void durableSequence(long sequence) {
        durableSequence = sequence;
    }

    void applied(long sequence) {
        applied.advanceTo(sequence);
        metrics.applied();
    }

    boolean awaitApplied(long sequence, long deadline) {
        return applied.await(sequence, deadline) || heap.transactionManager().clock() >= sequence;
    }

    void close() {
        Follower following = follower;
        if (following != null) {
            following.stop();
        }
        Primary current = primary;
        if (current != null) {
            current.stop();
        }
        if (heap != null) {
            heap.close();
        }
    }
}
