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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs transactions on one heap's working copy and gives consistent reads outside them.
 *
 * <p>Invariants: the commit clock only grows; a page's version is the clock value of the last
 * commit that wrote it; the log order of two records agrees with the order in which their
 * transactions held any page they both wrote (a page is unlocked only after its record is appended).
 *
 * <p>Threading: safe from any thread; each thread gets its own {@link Transaction}.
 */
public final class TransactionManager {
    private static final long MAX_BACKOFF_NANOS = 1_000_000;
    private static final AtomicInteger SLOTS = new AtomicInteger();

    private final MemorySegment working;
    private final PageVersions versions;
    private final RedoLog log;
    private final Durability durability;
    private final HotpotMetrics metrics;
    private final int maxAttempts;
    private final Runnable afterLoggedCommit;
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong txIds;
    private final ThreadLocal<Transaction> transactions;
    private volatile HotpotException failure;

    /**
     * @param firstTxId         first transaction id to hand out; unique across restarts because the
     *                          log start only grows and each writer uses at least one log byte
     * @param afterLoggedCommit called after each commit that appended a record (checkpoint pacing)
     */
    public TransactionManager(MemorySegment working, RedoLog log, Durability durability, HotpotMetrics metrics,
                              int maxAttempts, long firstTxId, Runnable afterLoggedCommit) {
        this.working = working;
        this.versions = new PageVersions((int) (working.byteSize() / Pages.SIZE));
        this.log = log;
        this.durability = durability;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.afterLoggedCommit = afterLoggedCommit;
        this.txIds = new AtomicLong(firstTxId);
        this.transactions = ThreadLocal.withInitial(
                () -> new Transaction(this, SLOTS.getAndIncrement() % PageVersions.OWNER_MASK + 1));
    }

    /**
     * Runs {@code body} as a transaction, or as part of the calling thread's open one (nesting
     * flattens). Re-runs the body after a conflict, with randomized exponential backoff, up to the
     * configured number of attempts. An exception from the body rolls back every write and
     * allocation and is rethrown.
     *
     * @throws TransactionConflictException when every attempt conflicted
     */
    public <T> T run(Supplier<T> body) {
        HotpotException failed = failure;
        if (failed != null) {
            throw new HotpotException("heap is unusable after a failed log force; close and reopen it to recover"
                    + " exactly what is durable", failed);
        }
        Transaction tx = transactions.get();
        if (tx.isActive()) {
            return body.get();
        }
        for (int attempt = 1; ; attempt++) {
            tx.begin();
            try {
                T result = body.get();
                tx.commit();
                metrics.commit();
                return result;
            } catch (ConflictAbort conflict) {
                if (tx.isActive()) {
                    tx.rollback();
                }
                if (!tx.isOwnConflict(conflict)) {
                    throw conflict;
                }
            } catch (Throwable failure) {
                if (tx.isActive()) {
                    boolean doomed = tx.isDoomed();
                    long newestSeen = doomed ? 0 : tx.newestSeenPosition();
                    tx.rollback();
                    if (!doomed) {
                        metrics.abort();
                        // The exception may carry what the body read: only durable state leaves.
                        try {
                            log.awaitDurable(newestSeen);
                        } catch (RuntimeException notDurable) {
                            failure.addSuppressed(notDurable);
                        }
                        throw failure;
                    }
                    // The body failed after it was told of a conflict (and swallowed it): re-run.
                } else {
                    throw failure;
                }
            }
            metrics.retry();
            if (attempt >= maxAttempts) {
                throw new TransactionConflictException("transaction conflicted " + attempt
                        + " times in a row: maxAttempts=" + maxAttempts
                        + "; make transactions shorter, spread hot data over more pages, or raise maxAttempts");
            }
            long cap = Math.min(MAX_BACKOFF_NANOS, 1_000L << Math.min(attempt, 20));
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(cap));
        }
    }

    /** The calling thread's open transaction, or null outside one. */
    public Transaction current() {
        Transaction tx = transactions.get();
        return tx.isActive() ? tx : null;
    }

    /**
     * Reads {@code size} (1, 2, 4 or 8) bytes as raw bits: inside the calling thread's transaction
     * if one is open, else as one committed value (waiting out a writer that holds the page).
     */
    public long read(long address, int size) {
        Transaction tx = transactions.get();
        if (!Pages.withinOnePage(address, size)) {
            return run(() -> Bits.fromBytes(size, i -> current().readBits(address + i, 1)));
        }
        if (tx.isActive()) {
            return tx.readBits(address, size);
        }
        int page = Pages.pageOf(address);
        for (int spins = 0; ; spins++) {
            long word = versions.get(page);
            if (!PageVersions.isLocked(word)) {
                long bits = Bits.load(working, address, size);
                VarHandle.loadLoadFence();
                if (versions.get(page) == word) {
                    if (durability == Durability.SYNC) {
                        log.awaitDurable(versions.commitPosition(page));
                    }
                    return bits;
                }
            }
            Spin.pause(spins);
        }
    }

    /**
     * The version word of the page holding {@code address} once no transaction holds it: two
     * equal results around a series of reads outside a transaction prove no commit touched the
     * page in between (versions only grow). Call outside a transaction.
     */
    public long committedVersion(long address) {
        int page = Pages.pageOf(address);
        for (int spins = 0; ; spins++) {
            long word = versions.get(page);
            if (!PageVersions.isLocked(word)) {
                return word;
            }
            Spin.pause(spins);
        }
    }

    /** Writes {@code size} bytes of {@code bits}: in the open transaction, else as its own auto-committed one. */
    public void write(long address, int size, long bits) {
        Transaction tx = transactions.get();
        if (!tx.isActive()) {
            run(() -> {
                write(address, size, bits);
                return null;
            });
        } else if (Pages.withinOnePage(address, size)) {
            tx.writeBits(address, size, bits);
        } else {
            for (int i = 0; i < size; i++) {
                tx.writeBits(address + i, 1, Bits.byteOf(bits, size, i));
            }
        }
    }

    /** Copies heap bytes {@code [address, address + length)} into {@code target}, as one consistent read. */
    public void readBytes(long address, MemorySegment target, long targetOffset, long length) {
        run(() -> {
            Transaction tx = current();
            forEachPageChunk(address, length, (at, done, chunk) -> tx.readPage(at, target, targetOffset + done, chunk));
            return null;
        });
    }

    /** Copies {@code source} bytes into the heap at {@code address}, in the open or an auto-committed transaction. */
    public void writeBytes(long address, MemorySegment source, long sourceOffset, long length) {
        run(() -> {
            Transaction tx = current();
            forEachPageChunk(address, length, (at, done, chunk) -> tx.writePage(at, source, sourceOffset + done, chunk));
            return null;
        });
    }

    @FunctionalInterface
    private interface PageChunk {
        void accept(long address, long done, int length);
    }

    private static void forEachPageChunk(long address, long length, PageChunk chunk) {
        long done = 0;
        while (done < length) {
            long at = address + done;
            int n = (int) Math.min(length - done, Pages.SIZE - (at & Pages.OFFSET_MASK));
            chunk.accept(at, done, n);
            done += n;
        }
    }

    /** Stops all further transactions after a failure whose outcome on disk is unknown. */
    void fail(RuntimeException cause) {
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

    HotpotMetrics metrics() {
        return metrics;
    }

    long clock() {
        return clock.get();
    }

    long nextCommitVersion() {
        return clock.incrementAndGet();
    }

    long nextTxId() {
        return txIds.getAndIncrement();
    }

    void afterLoggedCommit() {
        afterLoggedCommit.run();
    }
}
