package dev.hotpot.cluster;

import dev.hotpot.HotpotException;
import dev.hotpot.coordinator.CommandRefusedException;
import dev.hotpot.coordinator.EpochMismatchException;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.LogReader;
import dev.hotpot.log.LogRecordDescriptor;
import dev.hotpot.log.RedoLog;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.tx.CommitRoute;
import dev.hotpot.tx.ForeignRecord;
import dev.hotpot.tx.ReplicationWait;
import dev.hotpot.tx.TransactionManager;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The primary role of one heap on this node: it orders commits (its own and those other nodes
 * send), ships its log to every subscribed node, and counts a record committed once it is forced
 * here and acknowledged durable by every in-sync backup.
 *
 * <p>Shipping: for each subscriber, whichever committing thread finds no send to it under way
 * scans the log from the subscriber's position to the end and sends the records in one frame (so
 * records batch under load without a thread hand-off), with the commit point: the position up to
 * which records are committed, which other nodes apply up to. A send blocked on a dead link holds
 * up that subscriber alone.
 *
 * <p>Another node's commit request is logged by the transport thread that read it, which never
 * waits for another thread's transaction there (a retry, or a request that would have to wait,
 * goes to a pool thread instead) and sends the record on with the commit point as far as it can
 * without waiting (the shipping thread sends the rest); a pool thread forces it. Its answer waits in
 * {@link CommitAnswers}: the thread that moves the commit point past
 * the record (most often the reader of the last backup's acknowledgement) sends the commit point
 * to every subscriber and then the answer, so that the requester has usually applied its own
 * record by the time the answer comes (not when its stream lags or another thread was sending
 * to it: the answer then comes first, and the requester waits for the commit point). A request
 * of a transaction that keeps conflicting runs on a pool thread with every other commit held
 * back, and if it conflicts all the same, they stay held for that node's next request (at most
 * {@link #LOSING_HOLD_NANOS}): the primary's own threads, which need no round trip, cannot starve
 * another node's transaction.
 *
 * <p>Invariants: the commit point never passes the local durable position, nor the acknowledged
 * position of a node in the in-sync set; an answer that a commit succeeded goes out only once the
 * commit point has reached its record; a node joins the in-sync set here before the coordinator
 * records it, and leaves it in the coordinator before it leaves it here, so the coordinator's
 * set is never missing a node that a commit counted on. The log is kept from {@code retainedFrom},
 * which only grows and is written under this object's lock: no subscriber's position, nor the
 * position a joiner's records will start from, lies below it, since a joiner becomes a subscriber
 * under that lock, which the release of the log takes too.
 *
 * <p>Threading: commit paths run on application threads and ship their records themselves; the
 * commit points that local forces move go out from the shipping thread, so a commit returns
 * without waiting for those sends; frames arrive on transport threads, which send only what the
 * transport never blocks them on (commit points, the records behind them when they are few, and
 * answers) and leave larger sends to the shipping thread; they log new foreign commits, and a
 * pool forces those and runs the others; a virtual thread per joiner that needs an image sends it;
 * one monitor thread changes the in-sync set, disconnects nodes that take nothing, and releases
 * the log.
 */
final class Primary implements ReplicationWait {
    private static final System.Logger LOG = System.getLogger(Primary.class.getName());
    /** Records per RECORDS frame at most, in log bytes. */
    private static final long BATCH_BYTES = 4L << 20;
    private static final int IMAGE_PAGES_PER_FRAME = 64;
    /** How many bytes of records a thread that moved the commit point sends a subscriber with it, at most. */
    private static final long DIRECT_SHIP_BYTES = 64L << 10;
    /**
     * How many backupTimeouts a node outside the in-sync set may leave records waiting in its
     * socket before it is disconnected: it costs no commit time, so it gets longer than a backup.
     */
    private static final int STALL_TIMEOUTS = 5;
    /** How far behind the end of the log a subscriber's acknowledgements may be for it to join the in-sync set. */
    private static final long CATCH_UP_SLACK = 1L << 20;
    /**
     * How long every other commit waits, at most, for the next attempt of another node's transaction
     * that keeps conflicting: its re-run after a round trip and its own apply, with a wide margin.
     */
    private static final long LOSING_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ClusteredHeap heap;
    private final TransactionManager manager;
    private final RedoLog log;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    /** Nodes being brought onto the stream: the log is kept from where each one's records start. */
    private final Set<Joiner> joiners = ConcurrentHashMap.newKeySet();
    private final Map<Long, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final CommitAnswers answers = new CommitAnswers();
    private final LosingTurn losingTurn = new LosingTurn();
    private final Position acknowledged;
    /** Held by the one thread that indexes the log at a time. */
    private final AtomicBoolean indexing = new AtomicBoolean();
    private final ExecutorService foreignCommits;
    private final Thread monitor;
    /** Ships for frames that arrive on transport threads, which must never block on a send. */
    private final Thread shipper;
    /** The epoch in which this node became primary: messages of an earlier one are not for this reign. */
    private final long reignEpoch;
    private volatile long epoch;
    private volatile Set<String> inSync;
    /** The log position from which segments are kept for subscribers and joiners; written under this object's lock. */
    private volatile long retainedFrom;
    /** How far the index of this log's records reaches. */
    private volatile long indexed;
    private volatile boolean stopped;
    /** Whether this node said that it hands the role over; the monitor thread's only. */
    private boolean handingOver;

    Primary(ClusteredHeap heap, HeapAssignment assignment) {
        this.heap = heap;
        this.manager = heap.manager();
        this.log = heap.log();
        this.epoch = assignment.epoch();
        this.reignEpoch = assignment.epoch();
        this.inSync = new LinkedHashSet<>(assignment.inSync());
        this.indexed = heap.index().last().end();
        this.retainedFrom = heap.index().first().end();
        log.retainFrom(retainedFrom);
        // Nothing counts as acknowledged until the in-sync backups say so: a node promoted with records
        // its backups may lack must not answer a retried commit of one of them before they have it.
        this.acknowledged = new Position(0);
        this.foreignCommits = Executors.newFixedThreadPool(16, Thread.ofPlatform().daemon()
                .name("hotpot-commit-" + heap.name() + "-", 0).factory());
        this.monitor = Thread.ofPlatform().daemon().name("hotpot-primary-" + heap.name()).unstarted(this::monitor);
        this.shipper = Thread.ofPlatform().daemon().name("hotpot-ship-" + heap.name()).unstarted(this::shipOnDemand);
    }

    /** Takes the role: commits are logged here from now on. */
    void start() {
        manager.setEpoch(epoch);
        manager.setReplicationWait(this);
        manager.setRoute(null);
        monitor.start();
        shipper.start();
        LOG.log(System.Logger.Level.INFO, "node " + heap.nodeId() + " is primary of heap " + heap.name() + " in epoch "
                + epoch + ", in-sync backups " + inSync);
    }

    void stop() {
        stopped = true;
        monitor.interrupt();
        LockSupport.unpark(shipper);
        foreignCommits.shutdownNow();
        for (Subscriber s : subscribers.values()) {
            s.connection().close();
        }
        for (Joiner joiner : joiners) {
            joiner.connection().close();
        }
        answers.clear();
        acknowledged.poke();
    }

    long epoch() {
        return epoch;
    }

    /** The nodes this primary streams its log to, as they are now. */
    List<Subscriber> subscribers() {
        return List.copyOf(subscribers.values());
    }

    boolean isInSync(String node) {
        return inSync.contains(node);
    }

    /**
     * Whether {@code frame} was sent for an epoch before this node became primary: its sender
     * follows an earlier primary's reign, and the frame must be refused.
     */
    boolean isStale(Frame frame) {
        return frame.epoch() < reignEpoch;
    }

    /** A newer assignment from the coordinator that keeps this node primary: its epoch and in-sync set. */
    synchronized void update(HeapAssignment assignment) {
        if (assignment.epoch() <= epoch) {
            return;
        }
        epoch = assignment.epoch();
        manager.setEpoch(epoch);
        inSync = new LinkedHashSet<>(assignment.inSync());
        recomputeAcknowledged();
        kickShipper();
    }

    // ---- inbound frames -------------------------------------------------------------------------

    /** The nodes being brought onto the stream now: taking an image, or being answered that they need none. */
    List<String> joining() {
        return joiners.stream().map(Joiner::node).toList();
    }

    /**
     * Streams the log to a node from the end of its own, if this log still holds the records after
     * it; otherwise sends it an image first.
     */
    void onSubscribe(Connection connection, Frame frame, Messages.Subscribe subscribe) {
        long end = heap.index().endOf(subscribe.lastSequence());
        if (end >= 0 && end <= log.writtenPosition()) {
            Joiner joiner = new Joiner(subscribe.node(), connection, end);
            if (keepLogFor(joiner)) {
                try {
                    connection.reply(frame, Messages.SUBSCRIBE, epoch, new Messages.Subscribed(
                            Messages.SubscribeStatus.STREAM, subscribe.lastSequence(), 0, end).encode());
                    register(joiner, new Subscriber(subscribe.node(), connection, subscribe.backup(), end,
                            subscribe.lastSequence(), end));
                } finally {
                    joiners.remove(joiner);
                }
                return;
            }
        }
        Thread.ofVirtual().name("hotpot-image-" + subscribe.node()).start(() -> sendImage(connection, frame, subscribe));
    }

    /**
     * Keeps the log from where {@code joiner}'s records start until it leaves {@link #joiners};
     * false, keeping nothing, if the log is released there already.
     */
    private synchronized boolean keepLogFor(Joiner joiner) {
        if (joiner.from() < retainedFrom) {
            return false;
        }
        joiners.add(joiner);
        return true;
    }

    void onAck(Connection connection, Messages.Ack ack) {
        Subscriber s = subscribers.get(connection.peerId());
        if (s == null || s.connection() != connection) {
            return;
        }
        s.acknowledge(ack.durable());
        heap.metrics().acknowledged(s.node(), s.lagBehind(log.writtenPosition()));
        heap.settings().steps().reached(ProtocolSteps.Step.BACKUP_ACKNOWLEDGED);
        recomputeAcknowledged();
        // Another node's commit waits for this commit point: it goes out from here, with the answer.
        // Otherwise only this node's committing threads wait, woken above, and the shipping thread
        // sends it, so that this thread frees its vCPU for them at once.
        if (answers.anyDue(commitPoint())) {
            commitPointMoved();
        } else {
            kickShipper();
        }
    }

    /**
     * Takes another node's commit request on the transport thread that read it. A new transaction
     * is logged on that thread and sent on as far as no send waits, and a pool thread forces it
     * here. That thread never waits for another thread's transaction, which may be waiting for the
     * acknowledgements it reads (it may wait a moment for a page another commit is applying, or for
     * a checkpoint when the log is full). Any other request (a retry, or one that would have to
     * wait) goes to the pool, and so does one of a transaction that keeps conflicting, unless the
     * pool thread that holds every other commit back waits for it. The answer goes out once the
     * commit point reaches the record.
     */
    void onCommit(Connection connection, Frame frame, Messages.Commit commit) {
        if (stopped) {
            reply(connection, frame, new Messages.Committed(Messages.CommitStatus.NOT_PRIMARY, 0,
                    "node " + heap.nodeId() + " stopped being primary of heap " + heap.name()));
            return;
        }
        if (commit.losing() && losingTurn.handOver(connection, frame, commit)) {
            return;
        }
        if (commit.losing()) {
            runOnPool(() -> commitLosing(connection, frame, commit));
        } else if (commitOnReader(connection, frame, commit) == ForeignRecord.MUST_WAIT) {
            runOnPool(() -> commitAndAnswer(connection, frame, commit));
        }
    }

    /** Commits on a thread that may wait, and answers. */
    private void commitAndAnswer(Connection connection, Frame frame, Messages.Commit commit) {
        ForeignRecord logged;
        try {
            logged = commitOnce(commit);
        } catch (RuntimeException e) {
            answerFailed(connection, frame, e);
            return;
        }
        answerWhenCommitted(connection, frame, logged);
    }

    /**
     * Commits a transaction of another node that keeps conflicting, with every other commit held
     * back ({@link TransactionManager#runAlone}). If it conflicts all the same (it read before the
     * last commits), the conflict's answer names the sequence that nothing passes until that node's
     * next request arrives, or {@link #LOSING_HOLD_NANOS} pass: read there, it cannot conflict.
     * The hold covers logging and applying only: the records are forced on the pool, as those a
     * transport thread logs.
     */
    private void commitLosing(Connection connection, Frame frame, Messages.Commit commit) {
        manager.runAlone(() -> {
            long start = System.nanoTime();
            ClusterMetrics.Hold outcome = ClusterMetrics.Hold.COMMITTED;
            if (commitHeld(connection, frame, commit)) {
                LosingTurn.Attempt next = losingTurn.await(connection, LOSING_HOLD_NANOS);
                outcome = next == null ? ClusterMetrics.Hold.TIMED_OUT : ClusterMetrics.Hold.HANDED_OVER;
                if (next != null) {
                    commitHeld(next.connection(), next.frame(), next.commit());
                }
            }
            heap.metrics().commitsHeld(outcome, System.nanoTime() - start);
        });
    }

    /**
     * {@link #commitOnReader} on the thread that holds every other commit back; a request it cannot
     * take (its transaction is in flight on another thread, which may be waiting for the hold to
     * end) goes to the pool. Returns whether the transaction conflicted here.
     */
    private boolean commitHeld(Connection connection, Frame frame, Messages.Commit commit) {
        ForeignRecord logged = commitOnReader(connection, frame, commit);
        if (logged == ForeignRecord.MUST_WAIT) {
            runOnPool(() -> commitAndAnswer(connection, frame, commit));
            return false;
        }
        return logged == ForeignRecord.CONFLICT;
    }

    /** Runs {@code task} on the pool of foreign commits, unless this role has stopped (its sender then asks again). */
    private void runOnPool(Runnable task) {
        try {
            foreignCommits.execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.log(System.Logger.Level.INFO, "heap " + heap.name() + ": a foreign commit arrived as this node stopped"
                    + " being primary; its sender learns the outcome from the next primary");
        }
    }

    /**
     * Logs a new transaction of another node without waiting for another thread, and has it forced
     * and answered. Returns what it answered: the record, {@link ForeignRecord#CONFLICT}, or null
     * if the commit failed; {@link ForeignRecord#MUST_WAIT}, having done nothing, if the
     * transaction is not new or its commit must wait.
     */
    private ForeignRecord commitOnReader(Connection connection, Frame frame, Messages.Commit commit) {
        long start = System.nanoTime();
        CompletableFuture<Void> mine = claim(commit.txId());
        if (mine == null) {
            return ForeignRecord.MUST_WAIT;
        }
        ForeignRecord logged = ForeignRecord.MUST_WAIT;
        try {
            if (heap.recent().sequenceOf(commit.txId()) < 0) {
                logged = manager.tryCommitForeign(commit.txId(), commit.readVersion(), commit.readPages(),
                        commit.readCount(), commit.body());
            }
        } catch (RuntimeException e) {
            answerFailed(connection, frame, e);
            return null;
        } finally {
            release(commit.txId(), mine, logged);
        }
        if (logged == ForeignRecord.MUST_WAIT) {
            return ForeignRecord.MUST_WAIT;
        }
        if (logged.end() > 0) {
            heap.settings().steps().reached(ProtocolSteps.Step.PRIMARY_APPENDED);
            long end = logged.end();
            runOnPool(() -> forceForeign(end, start));
        }
        answerWhenCommitted(connection, frame, logged);
        return logged;
    }

    /** Indexes and forces a record {@link #commitOnReader} logged, then sends what the new commit point makes due. */
    private void forceForeign(long end, long start) {
        indexAll();
        try {
            manager.awaitForeignForced(end, start);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "heap " + heap.name() + ": forcing the log failed; the commits it"
                    + " holds are answered by no one and their senders learn that their outcome is unknown: " + e);
            return;
        }
        commitPointMoved();
    }

    /**
     * Answers a conflict at once; an OK once the commit point reaches the record, from whichever
     * thread moves it there. Never waits for room in a socket.
     */
    private void answerWhenCommitted(Connection connection, Frame frame, ForeignRecord logged) {
        if (logged.sequence() == CommitRoute.CONFLICT) {
            // A conflict answers with this node's clock: the sender re-runs once it has applied that far,
            // so that its next attempt does not read what made this one fail.
            reply(connection, frame, new Messages.Committed(Messages.CommitStatus.CONFLICT, manager.clock(), ""));
            return;
        }
        long deadline = System.nanoTime() + heap.settings().commitTimeout().toNanos();
        answers.add(new CommitAnswers.Answer(logged.end(), deadline, connection, frame.withoutPayload(),
                new Messages.Committed(Messages.CommitStatus.OK, logged.sequence(), "").encode()));
        commitPointMoved();
    }

    /** Answers a request that logged nothing: UNAVAILABLE while this node's copy is unusable, else FAILED. */
    private void answerFailed(Connection connection, Frame frame, RuntimeException e) {
        Messages.CommitStatus status = manager.failure() != null
                ? Messages.CommitStatus.UNAVAILABLE : Messages.CommitStatus.FAILED;
        reply(connection, frame, new Messages.Committed(status, 0, String.valueOf(e.getMessage())));
    }

    private void reply(Connection connection, Frame frame, Messages.Committed outcome) {
        if (connection.isOpen()) {
            connection.reply(frame, Messages.COMMIT, epoch, outcome.encode());
        }
    }

    /** The barrier: answers with the last sequence appended before the request, once it is committed. */
    void onSync(Connection connection, Frame frame) {
        foreignCommits.execute(() -> {
            long sequence = barrier();
            if (connection.isOpen()) {
                connection.reply(frame, Messages.SYNC, epoch, Messages.encodeSequence(sequence));
            }
        });
    }

    /** Waits until every record appended before the call is committed; returns the last one's sequence. */
    long barrier() {
        long[] tail = manager.logTail();
        manager.awaitCommitted(tail[0]);
        return tail[1];
    }

    void onClosed(Connection connection) {
        subscribers.values().removeIf(s -> s.connection() == connection);
    }

    /**
     * Commits a request that a thread of this node sent while another node was primary, exactly
     * once. It runs on the pool of foreign commits, as a request from another node would: the
     * calling thread still has its own transaction open.
     */
    long commitLocally(Messages.Commit commit) {
        ForeignRecord logged;
        try {
            logged = foreignCommits.submit(() -> commitOnce(commit)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new HotpotException("commit of txId=" + Long.toHexString(commit.txId()) + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommitOutcomeUnknownException("commit outcome unknown: txId=" + Long.toHexString(commit.txId())
                    + " on heap " + heap.name() + ": interrupted while this node, just promoted, committed it", e);
        }
        if (logged.sequence() != CommitRoute.CONFLICT) {
            manager.awaitCommitted(logged.end());
        }
        return logged.sequence();
    }

    /**
     * Logs a transaction of another node exactly once, and returns once its record is forced
     * here: a retry of a transaction this log has gets the first attempt's record; a retry that
     * arrives while the first attempt runs waits for it. The caller waits for the commit point.
     */
    private ForeignRecord commitOnce(Messages.Commit commit) {
        while (true) {
            CompletableFuture<Void> mine = claim(commit.txId());
            if (mine != null) {
                ForeignRecord logged = null;
                try {
                    logged = logOnce(commit);
                    return logged;
                } finally {
                    release(commit.txId(), mine, logged);
                }
            }
            // Another attempt runs: once it ends, however, this one finds the id known, or tries itself.
            CompletableFuture<Void> running = inFlight.get(commit.txId());
            if (running != null) {
                running.join();
            }
        }
    }

    /** {@link #commitOnce} as the one attempt of its transaction in flight. */
    private ForeignRecord logOnce(Messages.Commit commit) {
        long known = heap.recent().sequenceOf(commit.txId());
        if (known >= 0) {
            ForeignRecord logged = new ForeignRecord(known, endOf(known));
            // Logged by an earlier attempt, perhaps in an earlier reign: it is forced here now, like a new one.
            log.awaitDurable(logged.end());
            return logged;
        }
        return manager.commitForeign(commit.txId(), commit.readVersion(), commit.readPages(), commit.readCount(),
                commit.body());
    }

    /** Makes the caller's attempt at transaction {@code txId} the one in flight; null if another one is. */
    private CompletableFuture<Void> claim(long txId) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        return inFlight.putIfAbsent(txId, mine) == null ? mine : null;
    }

    /**
     * Ends the attempt that {@link #claim} gave {@code mine}; {@code logged} is its record, or null if
     * it threw. The record's id joins the dedupe before the claim goes, even if the thread that
     * indexes the log has not reached it yet: a retry waiting on this attempt then finds it.
     */
    private void release(long txId, CompletableFuture<Void> mine, ForeignRecord logged) {
        if (logged != null && logged.end() > 0) {
            heap.recent().logged(txId, logged.sequence());
        }
        inFlight.remove(txId, mine);
        mine.complete(null);
    }

    /** The end of the record with {@code sequence}; the end of the log if the index forgot it (it lies below). */
    private long endOf(long sequence) {
        long end = heap.index().endOf(sequence);
        return end >= 0 ? end : log.writtenPosition();
    }

    // ---- shipping -------------------------------------------------------------------------------

    @Override
    public void ship(long lsn) {
        heap.settings().steps().reached(ProtocolSteps.Step.PRIMARY_APPENDED);
        shipAll();
    }

    /** Has the shipping thread send what subscribers lack: for callers that must not block on a send. */
    private void kickShipper() {
        LockSupport.unpark(shipper);
    }

    private void shipOnDemand() {
        while (!stopped) {
            LockSupport.park(this);
            try {
                shipAll();
                answerCommitted();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "shipping the log of heap " + heap.name() + " failed: " + e);
            }
        }
    }

    /**
     * Sends every subscriber what it lacks: records to the end of the log, and the commit point.
     * Each subscriber is served by one thread at a time, and a thread skips a subscriber another
     * one serves: a send blocked on a dead link or a hung node holds up only the thread that sends,
     * until the monitor disconnects that node (an in-sync backup once it is removed from the set).
     */
    void shipAll() {
        indexAll();
        for (Subscriber s : subscribers.values()) {
            while (!stopped && s.claim()) {
                try {
                    shipTo(s, commitPoint());
                } catch (RuntimeException e) {
                    // A committing thread ships too: what goes wrong for one node is that node's, not the commit's.
                    LOG.log(System.Logger.Level.ERROR, "heap " + heap.name() + ": cannot send node " + s.node()
                            + " its records (" + e.getMessage() + "); disconnecting it: it subscribes again");
                    disconnect(s);
                } finally {
                    s.release();
                }
                // What another thread appended while this one held the claim is sent on the next turn;
                // a subscriber dropped meanwhile (its connection closed) is sent nothing more.
                if (!registered(s) || !s.lags(log.writtenPosition(), commitPoint())) {
                    break;
                }
            }
        }
    }

    /** Indexes the log to its end, unless another thread is at it; it then indexes what this one would. */
    private void indexAll() {
        while (!stopped && indexing.compareAndSet(false, true)) {
            try {
                indexToEnd();
            } finally {
                indexing.set(false);
            }
            if (indexed >= log.writtenPosition()) {
                return;
            }
        }
    }

    /** Returns once the log is indexed up to {@code position}, indexing it if no other thread is at it. */
    private void awaitIndexed(long position) {
        while (indexed < position && !stopped) {
            indexAll();
            if (indexed < position) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
    }

    /** Records the sequence and transaction id of every record appended since the last call; the indexing thread only. */
    private void indexToEnd() {
        long written = log.writtenPosition();
        if (indexed >= written) {
            return;
        }
        LogReader.Result result = log.scan(indexed, written, (lsn, txId, sequence, body) -> {
            heap.index().add(sequence, lsn + LogRecordDescriptor.recordLength((int) body.byteSize()));
            heap.recent().logged(txId, sequence);
        });
        indexed = result.endLsn();
    }

    /** Sends {@code s} every record it lacks and the commit point, waiting for room in its socket as it must. */
    private void shipTo(Subscriber s, long commitPoint) {
        shipTo(s, commitPoint, log.writtenPosition(), false);
    }

    /**
     * Sends {@code s} the records it lacks below {@code upTo} (whole records, so perhaps a little
     * past it) and the commit point; with {@code queued}, never waits for room in its socket.
     */
    private void shipTo(Subscriber s, long commitPoint, long upTo, boolean queued) {
        long written = Math.min(upTo, log.writtenPosition());
        while (s.position() < written || s.sentCommitPoint() < commitPoint) {
            List<Messages.Entry> entries = new ArrayList<>();
            long from = s.position();
            LogReader.Result result = from < written
                    ? log.scan(from, Math.min(written, from + BATCH_BYTES), (lsn, txId, sequence, body) -> entries.add(
                            new Messages.Entry(lsn + LogRecordDescriptor.recordLength((int) body.byteSize()), txId, sequence, body)))
                    : new LogReader.Result(0, from, false, null);
            long prev = s.lastSentSequence();
            long last = entries.isEmpty() ? prev : entries.getLast().sequence();
            Frame frame = Frame.oneWay(Messages.RECORDS, epoch, Messages.Records.encode(prev, commitPoint, entries));
            try {
                if (queued) {
                    s.connection().sendQueued(frame);
                } else {
                    s.connection().send(frame);
                }
            } catch (RuntimeException closed) {
                subscribers.remove(s.node(), s);
                return;
            }
            s.sent(result.endLsn(), last, commitPoint);
            heap.metrics().shipped(s.node(), entries.size(), s.lagBehind(log.writtenPosition()));
            if (result.endLsn() == from && from < written) {
                throw new HotpotException("primary log unreadable at lsn=" + from + " below its end " + written
                        + " (" + result.tornInfo() + ")");
            }
        }
    }

    /**
     * Sends every subscriber the commit point, then the answers it makes due, never waiting for
     * room in a socket: from any thread, transport readers included, and a slow subscriber holds
     * up no answer. With the commit point go the records a subscriber lacks, up to
     * {@link #DIRECT_SHIP_BYTES} past what it has; a subscriber whose socket is full, or that lacks
     * more, is left to the shipping thread, and one that another thread is sending to, to that
     * thread, which sends the commit point once it is done. Failures are logged, not thrown: the
     * callers' own work (a commit logged, an acknowledgement taken) is done.
     */
    private void commitPointMoved() {
        for (Subscriber s : subscribers.values()) {
            try {
                if (s.connection().isBacklogged()) {
                    kickShipper();
                } else if (s.claim()) {
                    try {
                        shipTo(s, commitPoint(), s.position() + DIRECT_SHIP_BYTES, true);
                    } finally {
                        s.release();
                    }
                    if (s.lags(log.writtenPosition(), commitPoint())) {
                        kickShipper();
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sending the commit point of heap " + heap.name() + " to node "
                        + s.node() + " failed; the shipping thread retries: " + e);
                kickShipper();
            }
        }
        answerCommitted();
    }

    /** Sends the answers the commit point makes due. */
    private void answerCommitted() {
        for (CommitAnswers.Answer answer : answers.takeDue(commitPoint())) {
            heap.settings().steps().reached(ProtocolSteps.Step.COMMITTED_BEFORE_REPLY);
            try {
                answer.connection().reply(answer.request(), Messages.COMMIT, epoch, answer.payload());
            } catch (RuntimeException closed) {
                // The requester asks again on its next connection, and the dedupe answers it then.
            }
        }
    }

    // ---- commit point ---------------------------------------------------------------------------

    /** The log position up to which records are committed: forced here and acknowledged by every in-sync backup. */
    long commitPoint() {
        return Math.min(log.durablePosition(), acknowledgedPosition());
    }

    /** How far every in-sync backup has acknowledged; unbounded while there is none. */
    private long acknowledgedPosition() {
        return inSync.isEmpty() ? Long.MAX_VALUE : acknowledged.get();
    }

    @Override
    public boolean isReplicated(long lsn) {
        return acknowledgedPosition() >= lsn;
    }

    @Override
    public void awaitReplicated(long lsn) {
        // The local force is done: the commit point may have moved; the shipping thread sends it.
        kickShipper();
        long start = System.nanoTime();
        long deadline = start + heap.settings().commitTimeout().toNanos();
        boolean waits = acknowledgedPosition() < lsn;
        if (waits && !acknowledged.await(lsn, deadline)) {
            throw new CommitOutcomeUnknownException("commit outcome unknown: heap=" + heap.name() + " lsn=" + lsn
                    + " epoch=" + epoch + " in-sync backups " + inSync + " did not acknowledge it within commitTimeout="
                    + heap.settings().commitTimeout() + ", and they could not be removed through the coordinator (is this"
                    + " node cut off from the majority?)");
        }
        if (stopped) {
            throw new CommitOutcomeUnknownException("commit outcome unknown: heap=" + heap.name() + " lsn=" + lsn
                    + " this node stopped being primary before the backups acknowledged it");
        }
        if (waits) {
            heap.metrics().replicationWaited(System.nanoTime() - start);
        }
        // The new commit point goes out from the shipping thread too: the committing thread returns at once.
        kickShipper();
    }

    private synchronized void recomputeAcknowledged() {
        long min = Long.MAX_VALUE;
        for (String backup : inSync) {
            Subscriber s = subscribers.get(backup);
            min = Math.min(min, s == null ? 0 : s.acked());
        }
        if (min == Long.MAX_VALUE) {
            min = log.writtenPosition();
        }
        acknowledged.advanceTo(min);
        acknowledged.poke();
    }

    /**
     * Makes {@code joiner} the subscriber {@code subscriber}, under the lock that the release of the
     * log takes, so that the log is kept for it all along; closes its connection instead if it was
     * dropped meanwhile (it took nothing for too long, or this role stopped).
     */
    private void register(Joiner joiner, Subscriber subscriber) {
        boolean dropped;
        Subscriber old = null;
        synchronized (this) {
            dropped = stopped || !joiners.remove(joiner);
            if (!dropped) {
                old = subscribers.put(subscriber.node(), subscriber);
            }
        }
        if (dropped) {
            subscriber.connection().close();
            return;
        }
        if (old != null && old.connection() != subscriber.connection()) {
            old.connection().close();
        }
        kickShipper();
    }

    // ---- catch-up -------------------------------------------------------------------------------

    /**
     * Sends a node the whole heap as of now, page by page while commits go on, then streams it the
     * records from the position the copy started at: replayed in order over the copy, they leave
     * every page as it is here. Between the two go this node's recent transaction ids, which the
     * node's dedupe takes in place of its own.
     */
    private void sendImage(Connection connection, Frame frame, Messages.Subscribe subscribe) {
        long[] tail = manager.logTail();
        Joiner joiner = new Joiner(subscribe.node(), connection, tail[0]);
        try {
            // The tail was the end of the log, which the log is kept for: unless this thread was held up
            // while RETAINED_LOG bytes were written.
            if (!keepLogFor(joiner)) {
                throw new HotpotException("the log was released past the image's tail, lsn=" + tail[0]);
            }
            long pages = manager.pageCount() - 1L;
            connection.reply(frame, Messages.SUBSCRIBE, epoch,
                    new Messages.Subscribed(Messages.SubscribeStatus.NEED_IMAGE, tail[1], pages, tail[0]).encode());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate((long) IMAGE_PAGES_PER_FRAME * Pages.SIZE);
                for (long first = 1; first <= pages; first += IMAGE_PAGES_PER_FRAME) {
                    int count = (int) Math.min(IMAGE_PAGES_PER_FRAME, pages - first + 1);
                    for (int i = 0; i < count; i++) {
                        manager.readCommittedPage((int) (first + i), buffer.asSlice((long) i * Pages.SIZE, Pages.SIZE));
                    }
                    connection.send(Frame.oneWay(Messages.IMAGE, epoch,
                            Messages.Image.encode(first, buffer.asSlice(0, (long) count * Pages.SIZE))));
                    heap.metrics().catchUpSent((long) count * Pages.SIZE);
                }
            }
            // Once every record up to the image's tail is indexed, its id is among these.
            awaitIndexed(tail[0]);
            connection.send(Frame.oneWay(Messages.RECENT_IDS, epoch,
                    Messages.RecentIds.encode(heap.recent().newest(RecentCommits.SAVED))));
            register(joiner, new Subscriber(subscribe.node(), connection, subscribe.backup(), tail[0], tail[1], 0));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sending the image of heap " + heap.name() + " to node "
                    + subscribe.node() + " failed: " + e);
            connection.close();
        } finally {
            joiners.remove(joiner);
        }
    }

    // ---- in-sync set ----------------------------------------------------------------------------

    /** Removes backups that stopped acknowledging, adds caught-up ones, and lets go of log segments no one needs. */
    private void monitor() {
        long period = TimeUnit.MILLISECONDS.toNanos(50);
        while (!stopped) {
            HotpotException failure = manager.failure();
            if (failure != null) {
                monitorStep(() -> handOver(failure));
            } else {
                monitorStep(this::removeSilentBackups);
                monitorStep(this::addCaughtUpBackups);
            }
            monitorStep(this::disconnectStalled);
            monitorStep(this::releaseLog);
            monitorStep(() -> answers.dropStale(System.nanoTime()));
            LockSupport.parkNanos(period);
        }
    }

    /** Runs one step of the monitor: one that fails (the coordinator unreachable) keeps no other from running. */
    private void monitorStep(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "primary of heap " + heap.name() + ": " + e.getMessage());
        }
    }

    /**
     * Once this node's copy is unusable (a commit of its own reached no backup in time, so its
     * outcome is unknown), it can commit nothing more: it hands the role to a live in-sync backup
     * through the coordinator, and stops its JVM to catch up from it on restart. With no such backup
     * it stops its JVM at once: its restart recovers exactly what is durable here, and takes the
     * role back. While the coordinator cannot be reached (this node is cut off), it tries again.
     * It starts no removal of a backup meanwhile: that would only leave fewer copies to hand the
     * role to (a removal already under way may still go through).
     */
    private void handOver(HotpotException failure) {
        if (!handingOver) {
            handingOver = true;
            LOG.log(System.Logger.Level.WARNING, "node " + heap.nodeId() + " hands heap " + heap.name()
                    + " over to an in-sync backup: its copy is unusable (" + failure.getMessage() + ")");
        }
        HeapAssignment changed;
        try {
            changed = heap.coordinator().stepDown(heap.name(), epoch, heap.nodeId());
        } catch (EpochMismatchException moved) {
            changed = moved.current();
        } catch (CommandRefusedException noBackup) {
            heap.resynchronizeByRestart("its copy is unusable (" + failure.getMessage() + ") and "
                    + noBackup.getMessage());
            return;
        }
        applyOwnChange(changed, "the epoch moved on before the role could be handed over");
    }

    private void removeSilentBackups() {
        long now = System.nanoTime();
        long timeout = heap.settings().backupTimeout().toNanos();
        long written = log.writtenPosition();
        for (String backup : inSync) {
            if (manager.failure() != null) {
                return; // a removal ended after the copy became unusable: the role is handed over instead
            }
            Subscriber s = subscribers.get(backup);
            boolean silent = s == null ? now - lastSeen(backup) > timeout
                    : s.acked() < s.position() && s.position() <= written && now - s.waitingSince() > timeout;
            if (silent) {
                HeapAssignment changed;
                try {
                    changed = heap.coordinator().removeBackup(heap.name(), epoch, backup);
                } catch (EpochMismatchException moved) {
                    changed = moved.current();
                }
                applyOwnChange(changed, "removed backup " + backup + " (no acknowledgement within backupTimeout="
                        + heap.settings().backupTimeout() + ")");
                if (s != null && !inSync.contains(backup)) {
                    // A send to it may be blocked on a dead link: closing ends it. The node
                    // subscribes again once it can, and is caught up from where it was.
                    disconnect(s);
                }
            }
        }
    }

    /**
     * Disconnects a node outside the in-sync set that took not one byte of the frames waiting for
     * it for {@link #STALL_TIMEOUTS} times backupTimeout: a send to it blocks the shipping
     * thread, which serves every subscriber, and its position keeps the log from being released.
     * It subscribes again once it reads, and is caught up from where it was. A node taking its
     * image is judged by the same rule, in or out of the in-sync set: the image's tail keeps the
     * log. In-sync subscribers are judged by their acknowledgements instead
     * ({@link #removeSilentBackups}).
     */
    private void disconnectStalled() {
        long now = System.nanoTime();
        Duration timeout = heap.settings().backupTimeout().multipliedBy(STALL_TIMEOUTS);
        for (Subscriber s : subscribers.values()) {
            boolean stalled = s.stalledFor(now, timeout.toNanos());
            if (stalled && !inSync.contains(s.node())) {
                logStalled(s.node(), "the frames waiting for it", timeout);
                disconnect(s);
            }
        }
        for (Joiner joiner : joiners) {
            if (joiner.stall().stalledFor(now, timeout.toNanos()) && joiners.remove(joiner)) {
                logStalled(joiner.node(), "its image", timeout);
                joiner.connection().close();
            }
        }
    }

    private void logStalled(String node, String what, Duration timeout) {
        LOG.log(System.Logger.Level.WARNING, "heap " + heap.name() + ": node " + node + " took not one byte of " + what
                + " for " + timeout.toMillis() + " ms; disconnecting it");
    }

    /** Whether {@code s} is still the subscriber of its node: not dropped, nor replaced by a new subscription. */
    private boolean registered(Subscriber s) {
        return subscribers.get(s.node()) == s;
    }

    /** Drops {@code s} and closes its connection, which ends a send to it that waits for room. */
    private void disconnect(Subscriber s) {
        subscribers.remove(s.node(), s);
        s.connection().close();
    }

    private final Map<String, Long> firstMissed = new ConcurrentHashMap<>();

    private long lastSeen(String backup) {
        return firstMissed.computeIfAbsent(backup, b -> System.nanoTime());
    }

    /**
     * Makes a caught-up subscriber an in-sync backup: commits wait for it from the moment it is
     * counted here; once it has acknowledged everything written by then (so every commit already
     * acknowledged to a client), the coordinator records it, and it may be promoted from then on.
     */
    private void addCaughtUpBackups() {
        if (inSync.size() >= heap.replicas() - 1) {
            return;
        }
        long written = log.writtenPosition();
        for (Subscriber s : subscribers.values()) {
            if (s.backup() && !inSync.contains(s.node()) && s.acked() > 0 && s.lagBehind(written) <= CATCH_UP_SLACK
                    && !s.connection().isBacklogged()) {
                widen(s);
                return;
            }
        }
    }

    private void widen(Subscriber s) {
        synchronized (this) {
            Set<String> widened = new LinkedHashSet<>(inSync);
            widened.add(s.node());
            inSync = widened;
        }
        long target = log.writtenPosition();
        long deadline = System.nanoTime() + heap.settings().backupTimeout().toNanos();
        while (s.acked() < target && System.nanoTime() < deadline && !stopped && registered(s)) {
            kickShipper();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        try {
            if (s.acked() < target) {
                throw new HotpotException("node " + s.node() + " did not catch up within backupTimeout");
            }
            HeapAssignment changed;
            try {
                changed = heap.coordinator().addBackup(heap.name(), epoch, s.node());
            } catch (EpochMismatchException moved) {
                applyOwnChange(moved.current(), "the epoch moved on while adding backup " + s.node());
                throw moved;
            }
            applyOwnChange(changed, "added backup " + s.node());
        } catch (RuntimeException e) {
            synchronized (this) {
                Set<String> narrowed = new LinkedHashSet<>(inSync);
                narrowed.remove(s.node());
                inSync = narrowed;
            }
            recomputeAcknowledged();
            kickShipper();
            throw e;
        }
    }

    private synchronized void applyOwnChange(HeapAssignment changed, String what) {
        if (!heap.nodeId().equals(changed.primary())) {
            heap.lostPrimaryRole(changed);
            return;
        }
        epoch = changed.epoch();
        manager.setEpoch(epoch);
        inSync = new LinkedHashSet<>(changed.inSync());
        inSync.forEach(firstMissed::remove);
        recomputeAcknowledged();
        kickShipper();
        LOG.log(System.Logger.Level.INFO, "heap " + heap.name() + " epoch " + epoch + ": " + what + "; in-sync backups "
                + inSync);
    }

    /**
     * Keeps the log from the oldest subscriber's position and from where every joiner's records
     * start, and at least the last {@link ClusteredHeap#RETAINED_LOG} bytes.
     */
    private synchronized void releaseLog() {
        long floor = heap.index().floorEnd(indexed - ClusteredHeap.RETAINED_LOG);
        for (Subscriber s : subscribers.values()) {
            floor = Math.min(floor, s.position());
        }
        for (Joiner joiner : joiners) {
            floor = Math.min(floor, joiner.from());
        }
        if (floor > retainedFrom) {
            retainedFrom = floor;
            log.retainFrom(floor);
            heap.index().forgetBelow(floor);
        }
    }
}
