package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.HotpotException;
import dev.hotpot.TransactionConflictException;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs transactions on one heap's working copy and gives committed reads outside them.
 *
 * <p>Invariants: the working copy holds only applied (committed) records, changed only through
 * {@link RecordApplier}; the commit clock only grows and is at least every page's version; a
 * page's version is the commit sequence of the last record applied to it; sequences grow with log
 * positions (taken under the log's append lock), and the log order of two records agrees with the
 * order in which they held any page they both wrote.
 *
 * <p>Threading: safe from any thread; each thread gets its own {@link Transaction}.
 */
public final class TransactionManager {
    private static final long MAX_BACKOFF_NANOS = 1_000_000;
    /** Conflicts in a row after which a transaction that wrote nothing runs alone. */
    public static final int RUN_ALONE_AFTER = 4;
    /** What {@link #attempt} returns when the attempt conflicted. */
    private static final Object CONFLICTED = new Object();
    /**
     * Commit sequences of a cluster carry the epoch of the primary that handed them out above this
     * bit: a sequence names one record cluster-wide, and a later epoch's sequences are larger.
     */
    private static final int EPOCH_SHIFT = 40;

    /** The epoch of commit sequence {@code sequence}. */
    public static long epochOf(long sequence) {
        return sequence >>> EPOCH_SHIFT;
    }

    /** Where commit sequence {@code sequence} stands within its epoch: one more per commit. */
    public static long countInEpoch(long sequence) {
        return sequence & ((1L << EPOCH_SHIFT) - 1);
    }

    /** The number of the cluster node that handed out transaction id {@code txId} ({@link #setNode}). */
    public static int nodeOfTxId(long txId) {
        return (int) (txId >>> TX_NODE_SHIFT);
    }

    /** Where transaction id {@code txId} stands among its node's ids: one more per id handed out. */
    public static long counterOfTxId(long txId) {
        return txId & TX_COUNTER_MASK;
    }

    /** Transaction ids are {@code node << TX_NODE_SHIFT | counter}. */
    private static final int TX_NODE_SHIFT = 48;
    private static final long TX_COUNTER_MASK = (1L << TX_NODE_SHIFT) - 1;

    private final MemorySegment working;
    private final PageVersions versions;
    private final RedoLog log;
    private final Durability durability;
    private final HotpotMetrics metrics;
    private final int maxAttempts;
    private final Runnable afterLoggedCommit;
    private final AtomicLong clock;
    private final AtomicLong txIds;
    private final OpenTransactions open;
    private final WorkingCopyAccess access;
    private final CommitGate gate = new CommitGate();
    private final NodeTurns turns = new NodeTurns();
    private volatile HotpotException failure;
    /** Set on a cluster node that is not its heap's primary; null where commits are logged here. */
    private volatile CommitRoute route;
    /** Set on a cluster primary; null on a single node. */
    private volatile ReplicationWait replication;
    /** The cluster epoch stamped into records; every sequence handed out is above {@code epoch << EPOCH_SHIFT}. */
    private volatile int epoch;
    /** This node's number in the top bits of its transaction ids (0 on a single node). */
    private volatile long txIdNode;
    /** Ids below it may be handed out: a reservation recorded them durably (unbounded without one). */
    private volatile long txIdCeiling = Long.MAX_VALUE;
    /** Records a new ceiling durably; null without a reservation. Guarded by this for writes. */
    private TxIdReservation txIdReservation;

    /** Records a ceiling of transaction ids durably (see {@link #reserveTxIds}). */
    @FunctionalInterface
    public interface TxIdReservation {
        /**
         * Records durably, before it returns, a ceiling above {@code next} that the next life of this
         * heap starts its ids at, and returns it.
         */
        long reserveAbove(long next);
    }

    /**
     * @param firstTxId         first transaction id to hand out; unique across restarts because the
     *                          log start only grows and each writer uses at least one log byte (a
     *                          cluster node, whose ids may use none, reserves them: {@link #reserveTxIds})
     * @param lastSequence      the commit sequence of the last record in the working copy; later
     *                          commits continue after it
     * @param afterLoggedCommit called after each commit that appended a record (checkpoint pacing)
     */
    public TransactionManager(MemorySegment working, RedoLog log, Durability durability, HotpotMetrics metrics,
                              int maxAttempts, long firstTxId, long lastSequence, Runnable afterLoggedCommit) {
        this.working = working;
        this.versions = new PageVersions((int) (working.byteSize() / Pages.SIZE), lastSequence);
        this.log = log;
        this.durability = durability;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.afterLoggedCommit = afterLoggedCommit;
        this.txIds = new AtomicLong(firstTxId);
        this.clock = new AtomicLong(lastSequence);
        this.open = new OpenTransactions(this);
        this.access = new WorkingCopyAccess(this, open, working, versions, durability == Durability.SYNC);
    }

    /**
     * Runs {@code body} as a transaction, or as part of the calling thread's open one (nesting
     * flattens). Re-runs the body after a conflict, with randomized exponential backoff, up to the
     * configured number of attempts. An exception from the body rolls back every write and
     * allocation and is rethrown.
     *
     * <p>A transaction that conflicted {@value #RUN_ALONE_AFTER} times in a row, its last attempt
     * without storing (a long read or an iteration behind a stream of writers), runs its next
     * attempt alone: commits on other threads wait at the {@link CommitGate} until it ends, so it
     * cannot conflict again.
     * Its body, and the outcome actions of its transaction, must not wait for a commit of another
     * thread. On a cluster node that sends its commits to a primary, such a transaction (writer or
     * not) takes this node's exclusive turn instead ({@link NodeTurns}): no other attempt of this
     * node runs meanwhile, and it re-runs only once it has applied what the primary had when the
     * attempt failed. It keeps that turn from one attempt to the next, and its commits tell the
     * primary that it keeps losing ({@link CommitRoute#commit}): after another conflict the primary
     * holds every other commit back for its next attempt.
     *
     * @throws TransactionConflictException when every attempt conflicted
     */
    public <T> T run(Supplier<T> body) {
        throwIfFailed();
        Transaction tx = open.mine();
        if (tx.isActive()) {
            if (open.current() != tx) {
                throw new IllegalStateException("a commit action of a transaction used the heap while its pages"
                        + " were locked; do follow-up heap work in an afterCommit action");
            }
            return body.get();
        }
        Lock turn = null;
        try {
            for (int attempt = 1; ; attempt++) {
                // Not on a cluster node that sends its commits to a primary: while the gate is closed this
                // node applies nothing, and a commit there waits for its own record to be applied. Such a
                // node takes turns among its own threads instead.
                boolean routed = route != null;
                boolean alone = attempt > RUN_ALONE_AFTER && !tx.wroteInLastAttempt() && !routed;
                boolean losing = routed && attempt > RUN_ALONE_AFTER;
                if (alone) {
                    gate.close();
                }
                if (routed && !turns.isExclusive(turn)) {
                    turn = turns.take(losing);
                }
                try {
                    // The primary holds its commits back for the next attempt only if there is one.
                    Object outcome = attempt(tx, body, losing && attempt < maxAttempts);
                    if (outcome != CONFLICTED) {
                        metrics.commit();
                        @SuppressWarnings("unchecked")
                        T result = (T) outcome;
                        return result;
                    }
                } finally {
                    if (turn != null && !turns.isExclusive(turn)) {
                        turn.unlock();
                        turn = null;
                    }
                    if (alone) {
                        gate.open();
                    }
                }
                metrics.retry();
                if (attempt >= maxAttempts) {
                    throw new TransactionConflictException("transaction conflicted " + attempt
                            + " times in a row: maxAttempts=" + maxAttempts
                            + "; make transactions shorter, spread hot data over more pages, or raise maxAttempts");
                }
                // A losing attempt's conflict holds the primary's commits back until the next one arrives.
                if (!turns.isExclusive(turn)) {
                    long cap = Math.min(MAX_BACKOFF_NANOS, 1_000L << Math.min(attempt, 20));
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(cap));
                }
            }
        } finally {
            if (turn != null) {
                turn.unlock();
            }
        }
    }

    /** Runs one attempt of {@code body}: its result once committed, or {@link #CONFLICTED}. */
    private Object attempt(Transaction tx, Supplier<?> body, boolean losing) {
        tx.begin(losing);
        try {
            Object result = ScopedValue.where(OpenTransactions.BOUND, tx).call(body::get);
            tx.commit();
            return result;
        } catch (ConflictAbort conflict) {
            if (tx.isActive()) {
                tx.rollback();
            }
            if (!tx.isOwnConflict(conflict)) {
                throw conflict;
            }
            return CONFLICTED;
        } catch (Throwable failure) {
            if (!tx.isActive()) {
                throw failure;
            }
            boolean doomed = tx.isDoomed();
            try {
                // The exception may carry what the body read: the rollback waits until that is durable.
                tx.rollback();
            } catch (RuntimeException notDurable) {
                failure.addSuppressed(notDurable);
                throw failure;
            }
            if (doomed) {
                // The body failed after it was told of a conflict (and swallowed it): re-run.
                return CONFLICTED;
            }
            metrics.abort();
            throw failure;
        }
    }

    /** The calling thread's open transaction, or null outside one. */
    public Transaction current() {
        return open.current();
    }

    /** A new applier for records committed elsewhere, for the calling thread's use only. */
    public RecordApplier newApplier() {
        return new RecordApplier(this);
    }

    /**
     * Reads {@code size} (1, 2, 4 or 8) bytes as raw bits: inside the calling thread's transaction
     * if one is open, else as one committed value ({@link WorkingCopyAccess}).
     */
    public long read(long address, int size) {
        return access.read(address, size);
    }

    /**
     * The version word of the page holding {@code address} once no apply holds it: two equal
     * results around a series of reads outside a transaction prove no commit touched the page in
     * between (versions only grow). Call outside a transaction.
     */
    public long committedVersion(long address) {
        // The caller's loads before this call must not move after the version load below.
        VarHandle.loadLoadFence();
        return versions.awaitUnlocked(Pages.pageOf(address));
    }

    /** The version of {@code page}: the commit sequence of the last record applied to it (the sequence the heap opened at if none since). */
    public long pageVersion(int page) {
        return PageVersions.version(versions.get(page));
    }

    /** Writes {@code size} bytes of {@code bits}: in the open transaction, else as its own auto-committed one. */
    public void write(long address, int size, long bits) {
        access.write(address, size, bits);
    }

    /** This heap's loads and stores as a value whose components the JIT can fold ({@link HeapAccess}). */
    public HeapAccess access() {
        return access;
    }

    /** Copies heap bytes {@code [address, address + length)} into {@code target}, as one consistent read. */
    public void readBytes(long address, MemorySegment target, long targetOffset, long length) {
        forEachPageChunk(address, length, (tx, at, done, chunk) -> tx.readPage(at, target, targetOffset + done, chunk));
    }

    /** Copies {@code source} bytes into the heap at {@code address}, in the open or an auto-committed transaction. */
    public void writeBytes(long address, MemorySegment source, long sourceOffset, long length) {
        forEachPageChunk(address, length, (tx, at, done, chunk) -> tx.writePage(at, source, sourceOffset + done, chunk));
    }

    @FunctionalInterface
    private interface PageChunk {
        void accept(Transaction tx, long address, long done, int length);
    }

    /**
     * Passes each piece of {@code [address, address + length)} that lies within one page to
     * {@code chunk}, in the calling thread's open transaction, else in one of its own.
     */
    private void forEachPageChunk(long address, long length, PageChunk chunk) {
        Transaction tx = open.current();
        if (tx == null) {
            run(() -> {
                forEachPageChunk(address, length, chunk);
                return null;
            });
            return;
        }
        long done = 0;
        while (done < length) {
            long at = address + done;
            int n = (int) Math.min(length - done, Pages.SIZE - (at & Pages.OFFSET_MASK));
            chunk.accept(tx, at, done, n);
            done += n;
        }
    }

    // ---- cluster ------------------------------------------------------------------------------

    /**
     * Makes this heap a cluster node's copy: transaction ids carry {@code nodeIndex} in their top
     * 16 bits, so that they are unique cluster-wide. Call before the first transaction.
     */
    public void setNode(int nodeIndex) {
        if (nodeIndex < 0 || nodeIndex > 0xFFFF) {
            throw new IllegalArgumentException("node index out of range: " + nodeIndex);
        }
        txIdNode = (long) nodeIndex << TX_NODE_SHIFT;
    }

    /**
     * Hands out transaction ids from {@code floor} on (or from the current one if higher), each only
     * once {@code reservation} has recorded a ceiling above it: a restart that starts at the last
     * ceiling recorded never repeats an id, whatever the log holds. A node that sends its commits to
     * a primary needs it: its attempts may spend ids without writing to its own log.
     */
    public synchronized void reserveTxIds(long floor, TxIdReservation reservation) {
        // Called as the heap opens, before its first transaction.
        txIds.accumulateAndGet(floor, Math::max);
        txIdReservation = reservation;
        txIdCeiling = reservation.reserveAbove(txIds.get());
    }

    /** The cluster node index given to {@link #setNode}, or 0 for a heap of one process. */
    public int nodeIndex() {
        return nodeOfTxId(txIdNode);
    }

    /**
     * Takes up {@code epoch}: records appended from now on carry it, and their sequences lie above
     * every sequence of earlier epochs. Epochs only grow.
     */
    public void setEpoch(long epoch) {
        if (epoch < this.epoch || epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("epoch " + epoch + " is not after " + this.epoch);
        }
        this.epoch = (int) epoch;
    }

    /**
     * Sends commits to a primary through {@code route} ({@code null}: log them here). Change it only
     * while no commit runs, at a role change of this node.
     */
    public void setRoute(CommitRoute route) {
        this.route = route;
    }

    /** Makes durability wait for the in-sync backups too ({@code null}: the local force alone). */
    public void setReplicationWait(ReplicationWait replication) {
        this.replication = replication;
    }

    CommitRoute route() {
        return route;
    }

    /**
     * Runs {@code task} with the working copy held for it: no commit of another thread applies
     * until it returns (they wait), while its own commits, foreign ones included, go through. For
     * a cluster primary that serves a transaction of another node that keeps conflicting. The
     * task must not wait for a commit of another thread of this node.
     */
    public void runAlone(Runnable task) {
        gate.close();
        try {
            task.run();
        } finally {
            gate.open();
        }
    }

    /**
     * Returns once this heap shows every commit acknowledged anywhere before the call: at once on a
     * single node or a cluster primary, after the cluster's barrier on another node.
     */
    public void sync() {
        CommitRoute current = route;
        if (current != null) {
            current.sync();
        }
    }

    /**
     * Commits, on a cluster primary, a transaction that ran on another node: its record
     * {@code body} is logged and applied if every page in {@code readPages} is still at a version
     * no newer than {@code readVersion}. Returns once the record is shipped to the other nodes
     * and forced here: the caller waits for the in-sync backups' acknowledgements
     * ({@link ReplicationWait}) before it tells the sender that the transaction committed, so that
     * no thread is held while they come.
     *
     * @return the record's sequence and end; (0, 0) if it changed nothing here, so that nothing was
     *         logged; or {@link ForeignRecord#CONFLICT}
     */
    public ForeignRecord commitForeign(long txId, long readVersion, int[] readPages, int readCount,
                                       MemorySegment body) {
        return runForeign(txId, readVersion, readPages, readCount, body, tx -> {
            tx.commit();
            return new ForeignRecord(tx.lastSequence(), tx.lastEnd());
        });
    }

    /**
     * As {@link #commitForeign}, for a thread that must never wait for another thread's
     * transaction (one that reads the network): the record is logged and applied but neither
     * shipped nor forced; the caller ships it and has it forced ({@link #awaitForeignForced}).
     *
     * @return the record's sequence and end, {@link ForeignRecord#CONFLICT}, or
     *         {@link ForeignRecord#MUST_WAIT} when nothing was done because the commit needs a
     *         thread that may wait: a transaction of this node runs alone, or the record would be empty
     */
    public ForeignRecord tryCommitForeign(long txId, long readVersion, int[] readPages, int readCount,
                                          MemorySegment body) {
        return runForeign(txId, readVersion, readPages, readCount, body, Transaction::commitForeignLogged);
    }

    /**
     * Returns once the log is forced up to {@code end}, the end of a record that
     * {@link #tryCommitForeign} logged {@code startNanos} ({@link System#nanoTime}) after its
     * commit began; a failed force leaves the heap failed, as a failed commit does.
     */
    public void awaitForeignForced(long end, long startNanos) {
        try {
            log.awaitDurable(end);
        } catch (RuntimeException notDurable) {
            fail(notDurable);
            throw notDurable;
        }
        metrics.commitLatency(System.nanoTime() - startNanos);
    }

    private ForeignRecord runForeign(long txId, long readVersion, int[] readPages, int readCount, MemorySegment body,
                                     java.util.function.Function<Transaction, ForeignRecord> commit) {
        throwIfFailed();
        Transaction tx = open.mine();
        if (tx.isActive()) {
            throw new IllegalStateException("a foreign commit ran on a thread with an open transaction");
        }
        tx.begin(false);
        try {
            tx.replayForeign(txId, readVersion, readPages, readCount, body);
            return commit.apply(tx);
        } catch (ConflictAbort conflict) {
            if (tx.isActive()) {
                tx.rollback();
            }
            if (!tx.isOwnConflict(conflict)) {
                throw conflict;
            }
            return ForeignRecord.CONFLICT;
        } catch (RuntimeException | Error e) {
            if (tx.isActive()) {
                tx.rollback();
            }
            throw e;
        }
    }

    /**
     * The log position after the last record and that record's commit sequence, taken together:
     * every record below the position has a sequence no greater, every later one a greater.
     */
    public long[] logTail() {
        return log.atTail(written -> new long[] {written, clock.get()});
    }

    /**
     * Copies page {@code page} of the working copy into {@code target} as applied records left it:
     * not while an apply holds it. A copy for a node catching up, which replays later records over it.
     */
    public void readCommittedPage(int page, MemorySegment target) {
        long address = Pages.addressOf(page);
        while (true) {
            long word = versions.awaitUnlocked(page);
            MemorySegment.copy(working, address, target, 0, Pages.SIZE);
            VarHandle.loadLoadFence();
            if (versions.get(page) == word) {
                return;
            }
        }
    }

    /** Pages in the heap (page 0 included). */
    public int pageCount() {
        return (int) (working.byteSize() / Pages.SIZE);
    }

    /** Returns once the record that ends at {@code lsn} is committed: forced and, on a cluster primary, acknowledged by every in-sync backup. */
    public void awaitCommitted(long lsn) {
        awaitDurable(lsn);
    }

    /**
     * Returns once the log is durable up to {@code lsn}: forced here and, on a cluster primary,
     * acknowledged by every in-sync backup.
     */
    void awaitDurable(long lsn) {
        awaitForced(lsn);
        ReplicationWait wait = replication;
        if (wait != null && lsn > 0) {
            wait.awaitReplicated(lsn);
        }
    }

    /** Returns once the log is forced here up to {@code lsn}, on a cluster primary after shipping it. */
    void awaitForced(long lsn) {
        ReplicationWait wait = replication;
        if (wait != null && lsn > 0) {
            wait.ship(lsn);
        }
        log.awaitDurable(lsn);
    }

    /** Whether {@link #awaitDurable} would return at once for {@code lsn}. */
    boolean isDurable(long lsn) {
        ReplicationWait wait = replication;
        return lsn <= log.durablePosition() && (wait == null || wait.isReplicated(lsn));
    }

    /** Why this heap is unusable (a commit's outcome became unknown), or null while it is usable. */
    public HotpotException failure() {
        return failure;
    }

    private void throwIfFailed() {
        HotpotException failed = failure;
        if (failed != null) {
            throw new HotpotException("heap is unusable since a commit's outcome became unknown (" + failed.getMessage()
                    + "); close and reopen it to recover exactly what is durable", failed);
        }
    }

    /** Stops all further transactions after a failure whose outcome on disk is unknown. */
    void fail(Throwable cause) {
        failure = cause instanceof HotpotException h ? h : new HotpotException("log force failed: " + cause, cause);
    }

    MemorySegment working() {
        return working;
    }

    PageVersions versions() {
        return versions;
    }

    RedoLog log() {
        return log;
    }

    Durability durability() {
        return durability;
    }

    /** The heap's meters. */
    public HotpotMetrics metrics() {
        return metrics;
    }

    /** The commit sequence of the newest record applied or being applied. */
    public long clock() {
        return clock.get();
    }

    /** The next commit sequence, above every sequence of an earlier epoch; called by the log under its append lock. */
    long nextSequence() {
        long floor = (long) epoch << EPOCH_SHIFT;
        while (true) {
            long now = clock.get();
            long next = Math.max(now, floor) + 1;
            if (clock.compareAndSet(now, next)) {
                return next;
            }
        }
    }

    /** The epoch stamped into this node's records. */
    int epoch() {
        return epoch;
    }

    /** Moves the clock to {@code sequence} if that is after it; false if it is not. */
    boolean advanceClockTo(long sequence) {
        for (long now = clock.get(); now < sequence; now = clock.get()) {
            if (clock.compareAndSet(now, sequence)) {
                return true;
            }
        }
        return false;
    }

    OpenTransactions open() {
        return open;
    }

    CommitGate gate() {
        return gate;
    }

    long nextTxId() {
        long next = txIds.getAndIncrement();
        if (next >= txIdCeiling) {
            reserveTxIdsUpTo(next);
        }
        return txIdNode | (next & TX_COUNTER_MASK);
    }

    private synchronized void reserveTxIdsUpTo(long next) {
        while (next >= txIdCeiling) {
            txIdCeiling = txIdReservation.reserveAbove(next);
        }
    }

    void afterLoggedCommit() {
        afterLoggedCommit.run();
    }
}
