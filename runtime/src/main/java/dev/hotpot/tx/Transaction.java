package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RecordBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;

/**
 * One thread's transaction on one heap, write-back: stores go to shadow copies of the pages they
 * touch ({@link WriteSet}) and loads see those first; the working copy is changed only when the
 * commit applies its record. Reads of the working copy are TL2-style: validated against a commit
 * clock and the page's version word, so a body never sees a state no serial order could produce
 * (opacity).
 *
 * <p>Commit: lock the written pages (each must still be at a version the transaction read),
 * validate the read set, log the diff of each shadow against the working copy, apply the record
 * through the {@link RecordApplier} and unlock at its commit sequence, then (with {@code SYNC})
 * wait for the log force. Rollback drops the shadows: nothing shared was changed.
 *
 * <p>Invariants while open: every page in the read set had a version {@code <= readVersion} when
 * read and, unless this transaction's commit holds it, still has; every written page is also in
 * the read set. Between its lock and its publish, only this transaction changes a locked page.
 *
 * <p>Threading: owned by one thread; the object is reused for that thread's next transactions.
 */
public final class Transaction {
    private static final int DIFF_GAP = 16;
    /** How long a transaction waits for a page a commit is applying before it aborts. */
    private static final long LOCK_WAIT_NANOS = 20_000_000;
    /** How many waits a commit spends on a written page that another commit holds before it aborts. */
    private static final int COMMIT_LOCK_SPINS = Spin.SPINS_BEFORE_PARK + 64;
    /** What {@link #logAndApply} returns when validation failed, and when the diff was empty. */
    private static final long CONFLICT = -1;
    private static final long NO_RECORD = 0;
    private static final int RECENT_MASK = 255;

    /** The thread that runs this transaction's bodies. */
    final Thread owner = Thread.currentThread();
    private final TransactionManager manager;
    private final MemorySegment working;
    private final PageVersions versions;
    private final PageMap readSet = new PageMap();
    private final WriteSet writes = new WriteSet();
    private final RecordBuffer record = new RecordBuffer();
    private final RecordApplier applier;
    private final ConflictAbort conflict = new ConflictAbort();
    private final ArrayList<Runnable> onRollback = new ArrayList<>();
    private final ArrayList<Runnable> afterCommit = new ArrayList<>();
    private final ArrayList<Runnable> beforeUnlock = new ArrayList<>();
    private final ArrayList<Runnable> onFinish = new ArrayList<>();

    int depth;
    private long readVersion;
    /** The page most recently added to the read set: runs of reads on one page skip the map. */
    private int lastReadPage;
    /**
     * Pages of the read set by {@code page & RECENT_MASK}, -1 where none: reads that come back to
     * a page (a scan's walk between tree nodes and records) skip the map's hashing and probing.
     * Every page here is in the read set, so clearing the slots of the read set's pages empties it.
     */
    private final int[] recentReads = newRecentReads();
    /** Written pages locked by this transaction's commit so far (a prefix of the write set). */
    private int lockedPages;
    private boolean doomed;
    /** Whether the committing attempt's record reached the log. */
    private boolean appended;
    /** Whether this attempt began a store (even one that a conflict cut short), and whether the last one did. */
    private boolean storing;
    private boolean wroteInLastAttempt;
    /** Whether this attempt follows {@link TransactionManager#RUN_ALONE_AFTER} conflicts in a row. */
    private boolean losing;
    /** The id the next record takes instead of a new one: a foreign commit keeps its node's id. 0 if none. */
    private long foreignTxId;
    /** The commit sequence of the last record this transaction logged, and the log position just past it. */
    private long lastSequence;
    private long lastEnd;

    Transaction(TransactionManager manager) {
        this.manager = manager;
        this.working = manager.working();
        this.versions = manager.versions();
        this.applier = new RecordApplier(manager);
    }

    /** Starts an attempt; {@code losing} if the transaction conflicted {@link TransactionManager#RUN_ALONE_AFTER} times in a row. */
    void begin(boolean losing) {
        this.losing = losing;
        depth = 1;
        doomed = false;
        storing = false;
        lockedPages = 0;
        lastReadPage = -1;
        foreignTxId = 0;
        lastSequence = 0;
        lastEnd = 0;
        readVersion = manager.clock();
    }

    /**
     * Makes this open transaction the one that ran on another node: it read {@code readPages} at
     * versions no newer than {@code readVersion} and its record is {@code body}. The pages join the
     * read set and the body's ranges are stored over consistent copies of their pages; a written
     * page that changed since {@code readVersion} aborts (it is in the read set).
     */
    void replayForeign(long txId, long readVersion, int[] readPages, int readCount, MemorySegment body) {
        this.readVersion = readVersion;
        this.foreignTxId = txId;
        for (int i = 0; i < readCount; i++) {
            int page = readPages[i];
            if (page < 0 || page >= versions.words().length) {
                throw new IllegalArgumentException("read page " + page + " lies outside the heap");
            }
            recordRead(page);
        }
        long heapSize = working.byteSize();
        for (long at = 0, size = body.byteSize(); at < size; ) {
            int length = dev.hotpot.log.CommitBody.checkRange(body, at, heapSize, 0);
            long address = dev.hotpot.log.CommitBody.address(body, at);
            long done = 0;
            while (done < length) {
                long to = address + done;
                int chunk = (int) Math.min(length - done, Pages.SIZE - (to & Pages.OFFSET_MASK));
                writePage(to, body, at + dev.hotpot.log.LogRecordDescriptor.RANGE_HEADER_LENGTH + done, chunk);
                done += chunk;
            }
            at = dev.hotpot.log.CommitBody.next(at, length);
        }
    }

    /** The commit sequence of the last record this transaction logged. */
    long lastSequence() {
        return lastSequence;
    }

    /** The log position just past the last record this transaction logged. */
    long lastEnd() {
        return lastEnd;
    }

    TransactionManager manager() {
        return manager;
    }

    boolean isActive() {
        return depth > 0;
    }

    boolean isDoomed() {
        return doomed;
    }

    // ---- reads ------------------------------------------------------------------------------

    /**
     * Reads {@code size} (1, 2, 4 or 8) bytes within one page as raw bits, consistently. The
     * caller passes the heap's working copy and versions, this transaction's own: one that holds
     * them as constants ({@link WorkingCopyAccess}) spares the JIT loading them from this object.
     */
    long readBits(MemorySegment working, PageVersions versions, long address, int size) {
        int page = Pages.pageOf(address);
        if (writes.size() != 0) {
            int index = writes.indexOf(page);
            if (index >= 0) {
                return Bits.load(writes.shadow(index), address & Pages.OFFSET_MASK, size);
            }
        }
        while (true) {
            long word = versions.get(page);
            if (PageVersions.readableAt(word, readVersion)) {
                long bits = Bits.load(working, address, size);
                VarHandle.loadLoadFence();
                if (versions.get(page) == word) {
                    if (page != lastReadPage) {
                        recordRead(page);
                    }
                    return bits;
                }
            } else {
                awaitReadable(page, word);
            }
        }
    }

    /** Copies {@code length} bytes within one page into {@code target}, consistently. */
    void readPage(long address, MemorySegment target, long targetOffset, int length) {
        int page = Pages.pageOf(address);
        int index = writes.size() == 0 ? -1 : writes.indexOf(page);
        if (index >= 0) {
            MemorySegment.copy(writes.shadow(index), address & Pages.OFFSET_MASK, target, targetOffset, length);
            return;
        }
        copyConsistent(page, address, target, targetOffset, length);
    }

    /** Copies bytes of {@code page} at a version this transaction may read, and adds the page to the read set. */
    private void copyConsistent(int page, long address, MemorySegment target, long targetOffset, int length) {
        while (true) {
            long word = versions.get(page);
            if (PageVersions.readableAt(word, readVersion)) {
                MemorySegment.copy(working, address, target, targetOffset, length);
                VarHandle.loadLoadFence();
                if (versions.get(page) == word) {
                    if (page != lastReadPage) {
                        recordRead(page);
                    }
                    return;
                }
            } else {
                awaitReadable(page, word);
            }
        }
    }

    private void recordRead(int page) {
        lastReadPage = page;
        int slot = page & RECENT_MASK;
        if (recentReads[slot] != page) {
            recentReads[slot] = page;
            readSet.putIfAbsent(page, 0);
        }
    }

    private static int[] newRecentReads() {
        int[] pages = new int[RECENT_MASK + 1];
        Arrays.fill(pages, -1);
        return pages;
    }

    /** Waits out an apply in progress on {@code page}, or moves the read version past a newer commit. */
    private void awaitReadable(int page, long word) {
        if (PageVersions.isLocked(word)) {
            awaitUnlock(page);
        } else {
            extend();
        }
    }

    // ---- writes -----------------------------------------------------------------------------

    void writeBits(long address, int size, long bits) {
        int index = shadowFor(Pages.pageOf(address));
        int offset = (int) (address & Pages.OFFSET_MASK);
        Bits.store(writes.shadow(index), offset, size, bits);
        writes.markDirty(index, offset, size);
    }

    void writePage(long address, MemorySegment source, long sourceOffset, int length) {
        int index = shadowFor(Pages.pageOf(address));
        int offset = (int) (address & Pages.OFFSET_MASK);
        MemorySegment.copy(source, sourceOffset, writes.shadow(index), offset, length);
        writes.markDirty(index, offset, length);
    }

    /** The write-set entry of {@code page}, made from a consistent copy of the page on first store. */
    private int shadowFor(int page) {
        int index = writes.indexOf(page);
        if (index >= 0) {
            return index;
        }
        storing = true;
        copyConsistent(page, Pages.addressOf(page), writes.nextShadow(), 0, Pages.SIZE);
        return writes.add(page);
    }

    // ---- outcome hooks ----------------------------------------------------------------------

    /** Runs {@code action} if this transaction rolls back (in reverse order of registration). */
    public void onRollback(Runnable action) {
        onRollback.add(action);
    }

    /**
     * Runs {@code action} when this transaction's commit is decided (its record appended and applied;
     * with {@code SYNC} the force follows) but its pages are still locked: what it publishes is in
     * place before any other transaction can read the committed bytes.
     */
    public void beforeUnlock(Runnable action) {
        beforeUnlock.add(action);
    }

    /**
     * Runs {@code action} when this transaction ends, committed or rolled back, before any
     * {@link #afterCommit} or {@link #onRollback} action (which may start new transactions).
     */
    public void onFinish(Runnable action) {
        onFinish.add(action);
    }

    /** Runs {@code action} once this transaction has committed (in order of registration). */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    // ---- validation -------------------------------------------------------------------------

    /** Moves the read version to now if every page read so far is unchanged; else aborts. */
    private void extend() {
        long now = manager.clock();
        if (!readSetValid(false)) {
            throw abort();
        }
        readVersion = now;
    }

    /**
     * Whether every page read is still at a version this transaction may read. While a body runs
     * it waits out an apply in progress; while it commits, pages it locked itself pass, and a page
     * another commit holds fails at once (two commits waiting for each other's pages would stall).
     */
    private boolean readSetValid(boolean committing) {
        for (int i = 0; i < readSet.size(); i++) {
            int page = readSet.pageAt(i);
            long word = versions.get(page);
            if (PageVersions.readableAt(word, readVersion)) {
                continue;
            }
            if (PageVersions.isLocked(word)) {
                if (committing) {
                    if (PageVersions.version(word) <= readVersion && lockedByThis(page)) {
                        continue;
                    }
                    return false;
                }
                awaitUnlock(page);
                if (PageVersions.readableAt(versions.get(page), readVersion)) {
                    continue;
                }
            }
            return false;
        }
        return true;
    }

    private boolean lockedByThis(int page) {
        int index = writes.indexOf(page);
        return index >= 0 && index < lockedPages;
    }

    private void awaitUnlock(int page) {
        long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
        for (int spins = 0; PageVersions.isLocked(versions.get(page)); spins++) {
            if (spins > Spin.SPINS_BEFORE_PARK && System.nanoTime() - deadline > 0) {
                throw abort();
            }
            Spin.pause(spins);
        }
    }

    /** Marks this transaction doomed and returns the unwinding signal to throw. */
    ConflictAbort abort() {
        doomed = true;
        return conflict;
    }

    /** Whether {@code signal} unwinds this transaction (and not one of another heap). */
    boolean isOwnConflict(ConflictAbort signal) {
        return signal == conflict;
    }

    // ---- outcome ----------------------------------------------------------------------------

    /**
     * Commits: locks the written pages, validates the reads, logs the diff of every shadow against
     * the working copy, applies the record and unlocks its pages at its sequence (early lock
     * release), then (with {@code SYNC}) waits until the record is durable: for another node's
     * transaction on a cluster primary, until it is shipped and forced here, and the primary
     * answers that node once the in-sync backups have it too.
     *
     * @throws ConflictAbort after rolling back, when a written page changed or the reads are stale
     */
    void commit() {
        rollBackIfDoomed();
        if (writes.size() == 0) {
            finishWithoutRecord();
            return;
        }
        CommitRoute route = manager.route();
        if (route != null && foreignTxId == 0) {
            commitThrough(route);
            return;
        }
        long start = System.nanoTime();
        // Inside the gate only while the working copy may change: the outcome hooks run after it,
        // and they may start transactions.
        long lsn = logAndApplyInside(manager.gate().enter());
        if (lsn == NO_RECORD) {
            finishWithoutRecord();
            return;
        }
        try {
            if (manager.durability() == Durability.SYNC) {
                if (foreignTxId != 0) {
                    manager.awaitForced(lsn);
                } else {
                    manager.awaitDurable(lsn);
                }
            }
        } catch (RuntimeException notDurable) {
            // The record is appended and may or may not become durable: nothing may commit after
            // it, and the caller learns that this commit's outcome is unknown.
            manager.fail(notDurable);
            finish(Outcome.UNKNOWN);
            throw notDurable;
        }
        finish(Outcome.COMMITTED);
        manager.metrics().commitLatency(System.nanoTime() - start);
        manager.afterLoggedCommit();
    }

    /**
     * Commits another node's transaction (see {@link #replayForeign}) as {@link #commit} does, but
     * on a thread that must not wait for other threads' transactions: it neither ships nor forces
     * the record, which its caller does. Returns the record's sequence and end, or
     * {@link ForeignRecord#MUST_WAIT} after rolling back, having changed nothing, if the commit needs
     * a thread that may wait: a transaction of this node runs alone, or the record would be empty.
     *
     * @throws ConflictAbort after rolling back, when a written page changed or the reads are stale
     */
    ForeignRecord commitForeignLogged() {
        rollBackIfDoomed();
        int token = manager.gate().tryEnter();
        if (token < 0) {
            rollback();
            return ForeignRecord.MUST_WAIT;
        }
        long lsn = logAndApplyInside(token);
        if (lsn == NO_RECORD) {
            rollback();
            return ForeignRecord.MUST_WAIT;
        }
        finish(Outcome.COMMITTED);
        manager.afterLoggedCommit();
        return new ForeignRecord(lastSequence, lsn);
    }

    /** Rolls back and throws the conflict if a read already found this attempt stale. */
    private void rollBackIfDoomed() {
        if (doomed) {
            rollback();
            throw conflict;
        }
    }

    /**
     * Runs {@link #logAndApply} inside the gate, entered with {@code token}, and leaves it; ends the
     * transaction if that failed or conflicted. Returns the log position past the record, or {@link #NO_RECORD}.
     */
    private long logAndApplyInside(int token) {
        long lsn = CONFLICT;
        Throwable failed = null;
        try {
            lsn = logAndApply();
        } catch (RuntimeException | Error e) {
            failed = e;
        } finally {
            manager.gate().exit(token);
        }
        if (failed != null) {
            endAfterFailedCommit(failed);
        }
        if (lsn == CONFLICT) {
            rollback();
            throw abort();
        }
        return lsn;
    }

    /**
     * Commits through a cluster's primary: the diff is taken against the working copy with the
     * written pages locked, as a local commit takes it, then the pages are released and the record
     * goes to the primary with the read set; the route returns once this node applied it.
     */
    private void commitThrough(CommitRoute route) {
        long start = System.nanoTime();
        boolean valid;
        int token = manager.gate().enter();
        try {
            valid = lockWrittenPages() && readSetValid(true);
            if (valid) {
                record.reset();
                for (int i = 0; i < writes.size(); i++) {
                    appendDiff(i);
                }
            }
        } finally {
            unlockWrittenPages();
            manager.gate().exit(token);
        }
        if (!valid) {
            rollback();
            throw abort();
        }
        if (record.bodyLength() == 0) {
            finishWithoutRecord();
            return;
        }
        long txId = manager.nextTxId();
        long sequence;
        try {
            sequence = route.commit(txId, readVersion, readSet.pages(), readSet.size(), record.body(), losing);
        } catch (RuntimeException | Error failed) {
            finish(Outcome.UNKNOWN);
            throw failed;
        }
        if (sequence == CommitRoute.CONFLICT) {
            rollback();
            throw abort();
        }
        lastSequence = sequence;
        // The stream applied the record on another thread: what must be in place before others read
        // it is published as soon as the outcome is known.
        runAndClear(beforeUnlock);
        finish(Outcome.COMMITTED);
        manager.metrics().commitLatency(System.nanoTime() - start);
    }

    /**
     * Ends an attempt whose {@link #logAndApply} threw, and rethrows. Once its record was appended
     * the outcome is unknown (the heap is failed); before, nothing happened and it rolls back.
     */
    private void endAfterFailedCommit(Throwable failed) {
        if (appended) {
            finish(Outcome.UNKNOWN);
        } else {
            try {
                rollback();
            } catch (RuntimeException notDurable) {
                failed.addSuppressed(notDurable);
            }
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failed;
    }

    /**
     * Locks, validates, logs and applies; every page lock is released when it returns or throws.
     * Early lock release: the pages unlock once the record is appended and applied, before the
     * force, so commits to the same pages queue behind this one in the log instead of behind its
     * force, and share that force. A later writer's record follows this one in the log, so its
     * durability implies this one's; a transaction that appends nothing waits at its end for the
     * commit positions of the pages it saw ({@link #newestSeenPosition}).
     *
     * @return the log position after the record, {@link #CONFLICT} or {@link #NO_RECORD}
     * @throws RuntimeException or Error if the diff or append failed ({@link #appended} false:
     *                          nothing happened) or the apply failed (true: the heap is failed,
     *                          the outcome unknown)
     */
    private long logAndApply() {
        appended = false;
        try {
            if (!lockWrittenPages() || !readSetValid(true)) {
                return CONFLICT;
            }
            record.reset();
            for (int i = 0; i < writes.size(); i++) {
                appendDiff(i);
            }
            if (record.bodyLength() == 0) {
                return NO_RECORD;
            }
            record.seal(foreignTxId != 0 ? foreignTxId : manager.nextTxId(), manager.epoch());
            long lsn = manager.log().append(record, manager::nextSequence);
            appended = true;
            lastSequence = record.sequence();
            lastEnd = lsn;
            try {
                applier.copyLocked(record.body(), manager.durability() == Durability.SYNC ? lsn : 0);
                runAndClear(beforeUnlock);
            } catch (RuntimeException | Error failed) {
                manager.fail(failed);
                throw failed;
            }
            return lsn;
        } finally {
            if (appended) {
                publish(record.sequence());
            } else {
                unlockWrittenPages();
            }
        }
    }

    /** Ends a transaction that appends no record: what it saw must be durable before it is shown. */
    private void finishWithoutRecord() {
        try {
            runAndClear(beforeUnlock);
            manager.awaitDurable(newestSeenPosition());
        } catch (RuntimeException | Error failed) {
            finish(Outcome.UNKNOWN);
            throw failed;
        }
        finish(Outcome.COMMITTED);
    }

    /**
     * Locks the written pages in write-set order, each at a version this transaction read. A page
     * another commit holds is awaited briefly; the holders release after an append and a copy.
     *
     * @return false if a page changed since it was read or stayed held (the locks taken so far
     *         are released by the caller)
     */
    private boolean lockWrittenPages() {
        for (int i = 0; i < writes.size(); i++) {
            int page = writes.page(i);
            for (int spins = 0; ; spins++) {
                long word = versions.get(page);
                if (PageVersions.readableAt(word, readVersion)) {
                    if (versions.tryLock(page, word)) {
                        writes.lockedWord(i, word);
                        lockedPages = i + 1;
                        break;
                    }
                } else if (!PageVersions.isLocked(word) || spins >= COMMIT_LOCK_SPINS) {
                    return false;
                } else {
                    Spin.pause(spins);
                }
            }
        }
        return true;
    }

    /** Unlocks the record's pages at its sequence and the other written pages at their old versions. */
    private void publish(long sequence) {
        for (int i = 0; i < lockedPages; i++) {
            int page = writes.page(i);
            if (!applier.touches(page)) {
                versions.unlock(page, writes.lockedWord(i));
            }
        }
        applier.publish(sequence);
        lockedPages = 0;
    }

    private void unlockWrittenPages() {
        for (int i = 0; i < lockedPages; i++) {
            versions.unlock(writes.page(i), writes.lockedWord(i));
        }
        lockedPages = 0;
    }

    /**
     * The newest log position of the {@code SYNC} commits whose pages this transaction read (a
     * written page counts as read), 0 if none: where the log must be durable before a transaction
     * that appends no record may show what it saw to its caller (by returning, or by throwing).
     */
    long newestSeenPosition() {
        if (manager.durability() != Durability.SYNC) {
            return 0;
        }
        long newest = 0;
        for (int i = 0; i < readSet.size(); i++) {
            newest = Math.max(newest, versions.commitPosition(readSet.pageAt(i)));
        }
        return newest;
    }

    /**
     * Drops every write (nothing shared was changed) and, once what this attempt saw is durable,
     * runs its finish and rollback actions: like an exception from the body, they must not act on
     * a state a crash could take back. Another node's transaction waits for nothing: it has no
     * actions, and nothing it saw is shown on this node (so a thread that must not wait may end it).
     *
     * @throws RuntimeException if the log cannot make what it saw durable; then only the finish
     *                          actions run
     */
    void rollback() {
        if (foreignTxId == 0) {
            try {
                manager.awaitDurable(newestSeenPosition());
            } catch (RuntimeException notDurable) {
                finish(Outcome.UNKNOWN);
                throw notDurable;
            }
        }
        finish(Outcome.ROLLED_BACK);
    }

    /** Whether the last attempt that ended stored anything, or began to. */
    boolean wroteInLastAttempt() {
        return wroteInLastAttempt;
    }

    /** How an attempt ended, which decides the actions that run. */
    private enum Outcome {
        /** Committed and, with {@code SYNC}, durable: finish then commit actions. */
        COMMITTED,
        /** Rolled back after what it saw became durable: finish then rollback actions. */
        ROLLED_BACK,
        /** A failed force left it unknown, or unshowable: finish actions only. */
        UNKNOWN
    }

    private void finish(Outcome outcome) {
        wroteInLastAttempt = storing;
        for (int i = 0; i < readSet.size(); i++) {
            recentReads[readSet.pageAt(i) & RECENT_MASK] = -1;
        }
        readSet.clear();
        writes.clear();
        depth = 0;
        beforeUnlock.clear();
        // Taken off the lists before any runs, so a throwing action leaves none for the next transaction.
        Runnable[] finishing = drain(onFinish, false);
        Runnable[] outcomeActions = switch (outcome) {
            case COMMITTED -> drain(afterCommit, false);
            case ROLLED_BACK -> drain(onRollback, true);
            case UNKNOWN -> new Runnable[0];
        };
        afterCommit.clear();
        onRollback.clear();
        for (Runnable action : finishing) {
            action.run();
        }
        for (Runnable action : outcomeActions) {
            action.run();
        }
    }

    private static Runnable[] drain(ArrayList<Runnable> actions, boolean reverse) {
        Runnable[] drained = actions.toArray(Runnable[]::new);
        actions.clear();
        if (reverse) {
            Collections.reverse(Arrays.asList(drained));
        }
        return drained;
    }

    private static void runAndClear(ArrayList<Runnable> actions) {
        for (Runnable action : drain(actions, false)) {
            action.run();
        }
    }

    /**
     * Appends the word runs where entry {@code index}'s shadow differs from the working copy,
     * merging runs that fewer than {@value #DIFF_GAP} unchanged bytes separate. The working copy
     * still holds the bytes the shadow was made from (the page is locked at the version read), and
     * only words this transaction stored to can differ, so only they are compared.
     */
    private void appendDiff(int index) {
        MemorySegment shadow = writes.shadow(index);
        long base = Pages.addressOf(writes.page(index));
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i < WriteSet.BITMAP_LONGS; i++) {
            for (long bits = writes.dirtyBits(index, i); bits != 0; bits &= bits - 1) {
                int offset = (i * Long.SIZE + Long.numberOfTrailingZeros(bits)) * Long.BYTES;
                if (shadow.get(Bits.WORD, offset) == working.get(Bits.WORD, base + offset)) {
                    continue;
                }
                if (runStart >= 0 && offset - runEnd >= DIFF_GAP) {
                    record.addRange(base + runStart, shadow, runStart, runEnd - runStart);
                    runStart = -1;
                }
                if (runStart < 0) {
                    runStart = offset;
                }
                runEnd = offset + Long.BYTES;
            }
        }
        if (runStart >= 0) {
            record.addRange(base + runStart, shadow, runStart, runEnd - runStart);
        }
    }
}
