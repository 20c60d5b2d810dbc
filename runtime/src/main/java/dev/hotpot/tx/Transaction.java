package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RecordBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One thread's transaction on one heap: TL2-style optimistic reads validated against a global
 * commit clock, page locks with pre-images for writes, in-place updates of the working copy.
 *
 * <p>Invariants while active: every page in the read set had a version {@code <= readVersion}
 * when read and, unless this transaction locked it since, still has; every page in the write set
 * is locked by this transaction and its pre-image holds the committed bytes. Together these make
 * every read consistent (opacity): a body never sees a state no serial order could produce.
 *
 * <p>Threading: owned by one thread; the object is reused for that thread's next transactions.
 */
public final class Transaction {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    /** How long a transaction waits for a page another one has locked before it aborts. */
    private static final long LOCK_WAIT_NANOS = 20_000_000;
    /** Merge two changed runs of a page when fewer unchanged bytes than this separate them. */
    private static final int DIFF_GAP = 16;
    /** Pre-image buffers a thread keeps between transactions (4 KiB each). */
    private static final int RETAINED_PRE_IMAGES = 256;

    private final TransactionManager manager;
    private final MemorySegment working;
    private final PageVersions versions;
    private final int slot;

    private final PageMap readSet = new PageMap();
    /** page -> index into the write-set arrays. */
    private final PageMap writeSet = new PageMap();
    private MemorySegment[] preImages = new MemorySegment[16];
    /** Per write-set index: the byte range of the page written so far, [low, high); only it is diffed. */
    private int[] dirtyLow = new int[16];
    private int[] dirtyHigh = new int[16];
    private final RecordBuffer record = new RecordBuffer();
    private final ConflictAbort conflict = new ConflictAbort();
    /** Actions on the outcome, run by the owning thread after the pages are unlocked. */
    private final java.util.ArrayList<Runnable> onRollback = new java.util.ArrayList<>();
    private final java.util.ArrayList<Runnable> afterCommit = new java.util.ArrayList<>();
    private final java.util.ArrayList<Runnable> beforeUnlock = new java.util.ArrayList<>();
    private final java.util.ArrayList<Runnable> onFinish = new java.util.ArrayList<>();

    int depth;
    private long readVersion;
    /** The page most recently added to the read set: runs of reads on one page skip the map. */
    private int lastReadPage;
    private boolean doomed;

    Transaction(TransactionManager manager, int slot) {
        this.manager = manager;
        this.working = manager.working();
        this.versions = manager.versions();
        this.slot = slot;
    }

    void begin() {
        depth = 1;
        doomed = false;
        readVersion = manager.clock();
        lastReadPage = -1;
    }

    boolean isActive() {
        return depth > 0;
    }

    boolean isDoomed() {
        return doomed;
    }

    // ---- reads ------------------------------------------------------------------------------

    /** Reads {@code size} (1, 2, 4 or 8) bytes within one page as raw bits, consistently. */
    long readBits(long address, int size) {
        int page = Pages.pageOf(address);
        while (true) {
            long word = versions.get(page);
            if (PageVersions.isLocked(word)) {
                if (ownsLocked(word, page)) {
                    return Bits.load(working, address, size);
                }
                awaitUnlock(page);
                continue;
            }
            if (PageVersions.version(word) > readVersion) {
                extend();
                continue;
            }
            long bits = Bits.load(working, address, size);
            VarHandle.loadLoadFence();
            if (versions.get(page) == word) {
                recordRead(page);
                return bits;
            }
        }
    }

    /** Copies {@code length} bytes within one page into {@code target}, consistently. */
    void readPage(long address, MemorySegment target, long targetOffset, int length) {
        int page = Pages.pageOf(address);
        while (true) {
            long word = versions.get(page);
            if (PageVersions.isLocked(word)) {
                if (ownsLocked(word, page)) {
                    MemorySegment.copy(working, address, target, targetOffset, length);
                    return;
                }
                awaitUnlock(page);
                continue;
            }
            if (PageVersions.version(word) > readVersion) {
                extend();
                continue;
            }
            MemorySegment.copy(working, address, target, targetOffset, length);
            VarHandle.loadLoadFence();
            if (versions.get(page) == word) {
                recordRead(page);
                return;
            }
        }
    }

    private void recordRead(int page) {
        if (page != lastReadPage) {
            readSet.putIfAbsent(page, 0);
            lastReadPage = page;
        }
    }

    // ---- writes -----------------------------------------------------------------------------

    void writeBits(long address, int size, long bits) {
        markDirty(lockForWrite(Pages.pageOf(address)), address, size);
        Bits.store(working, address, size, bits);
    }

    void writePage(long address, MemorySegment source, long sourceOffset, int length) {
        markDirty(lockForWrite(Pages.pageOf(address)), address, length);
        MemorySegment.copy(source, sourceOffset, working, address, length);
    }

    private void markDirty(int index, long address, int length) {
        int offset = (int) (address & Pages.OFFSET_MASK);
        dirtyLow[index] = Math.min(dirtyLow[index], offset);
        dirtyHigh[index] = Math.max(dirtyHigh[index], offset + length);
    }

    /**
     * Locks {@code page} for this transaction and saves its pre-image, unless already done.
     *
     * @return the page's index in the write set
     */
    private int lockForWrite(int page) {
        int known = writeSet.get(page);
        if (known >= 0) {
            return known;
        }
        while (true) {
            long word = versions.get(page);
            if (PageVersions.isLocked(word)) {
                awaitUnlock(page);
                continue;
            }
            if (PageVersions.version(word) > readVersion) {
                extend();
                continue;
            }
            if (versions.tryLock(page, word, slot)) {
                int index = writeSet.size();
                ensureWriteCapacity(index + 1);
                // In-place stores below must not become visible before the lock word (seqlock writer).
                VarHandle.storeStoreFence();
                MemorySegment.copy(working, Pages.addressOf(page), preImages[index], 0, Pages.SIZE);
                writeSet.putIfAbsent(page, index);
                dirtyLow[index] = Pages.SIZE;
                dirtyHigh[index] = 0;
                return index;
            }
        }
    }

    private boolean ownsLocked(long word, int page) {
        return PageVersions.owner(word) == slot && writeSet.contains(page);
    }

    /** Runs {@code action} if this transaction rolls back (in reverse order of registration). */
    public void onRollback(Runnable action) {
        onRollback.add(action);
    }

    /**
     * Runs {@code action} when this transaction's commit is decided (its record appended; with
     * {@code SYNC} the force follows) but its pages are still locked: what it publishes is in place
     * before any other transaction can read the committed bytes.
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
        if (!readSetValid()) {
            throw abort();
        }
        readVersion = now;
    }

    private boolean readSetValid() {
        for (int i = 0; i < readSet.size(); i++) {
            int page = readSet.pageAt(i);
            long word = versions.get(page);
            if (PageVersions.isLocked(word) && !ownsLocked(word, page)) {
                return false;
            }
            if (PageVersions.version(word) > readVersion) {
                return false;
            }
        }
        return true;
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
     * Commits: validates reads, logs the diff of every written page against its pre-image, unlocks
     * the pages at the new version, then (with {@code SYNC}) waits until the record is durable.
     *
     * @throws ConflictAbort after rolling back, when validation fails
     */
    void commit() {
        if (doomed) {
            rollback();
            throw conflict;
        }
        int written = writeSet.size();
        if (written == 0) {
            try {
                runAndClear(beforeUnlock, false);
                manager.log().awaitDurable(newestSeenPosition());
            } finally {
                finish(true);
            }
            return;
        }
        long start = System.nanoTime();
        long commitVersion = manager.nextCommitVersion();
        if (commitVersion != readVersion + 1 && !readSetValid()) {
            rollback();
            throw conflict;
        }
        record.reset();
        for (int i = 0; i < written; i++) {
            int page = writeSet.pageAt(i);
            appendDiff(page, writeSet.get(page));
        }
        if (record.bodyLength() > 0) {
            long lsn;
            try {
                record.seal(manager.nextTxId(), 0);
                lsn = manager.log().append(record);
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
            // Early lock release: the pages unlock once the record is appended, before the force,
            // so commits to the same pages queue behind this one in the log instead of behind its
            // force, and share that force. A later writer's record follows this one in the log, so
            // its durability implies this one's; a transaction that only reads waits at its end
            // for the commit positions of the pages it saw (newestSeenPosition).
            boolean sync = manager.durability() == Durability.SYNC;
            if (sync) {
                for (int i = 0; i < written; i++) {
                    versions.setCommitPosition(writeSet.pageAt(i), lsn);
                }
            }
            boolean released = false;
            try {
                runAndClear(beforeUnlock, false);
                release(commitVersion);
                released = true;
                if (sync) {
                    manager.log().awaitDurable(lsn);
                }
            } catch (RuntimeException failed) {
                // The record is appended and may or may not become durable: nothing may commit
                // after it, and the caller learns that this commit's outcome is unknown.
                manager.fail(failed);
                throw failed;
            } finally {
                if (!released) {
                    release(commitVersion);
                }
                finish(true);
            }
            manager.metrics().commitLatency(System.nanoTime() - start);
            manager.afterLoggedCommit();
        } else {
            long newestSeen = newestSeenPosition();
            runAndClear(beforeUnlock, false);
            release(commitVersion);
            try {
                manager.log().awaitDurable(newestSeen);
            } finally {
                finish(true);
            }
        }
    }

    /**
     * The newest log position of the {@code SYNC} commits whose pages this transaction read or
     * wrote, 0 if none: where the log must be durable before a transaction that appends no record
     * may show what it saw to its caller (by returning, or by throwing). A written page counts
     * because it may have been read after it was locked; its position is still the previous
     * writer's, since only a logged commit sets its own.
     */
    long newestSeenPosition() {
        if (manager.durability() != Durability.SYNC) {
            return 0;
        }
        long newest = 0;
        for (int i = 0; i < readSet.size(); i++) {
            newest = Math.max(newest, versions.commitPosition(readSet.pageAt(i)));
        }
        for (int i = 0; i < writeSet.size(); i++) {
            newest = Math.max(newest, versions.commitPosition(writeSet.pageAt(i)));
        }
        return newest;
    }

    /**
     * Restores every written page from its pre-image and unlocks it at a fresh version. Never at
     * its old version: a reader that loaded a byte written in place between its two version checks
     * would then see an unchanged word and accept a value that was never committed.
     */
    void rollback() {
        if (writeSet.size() > 0) {
            for (int i = 0; i < writeSet.size(); i++) {
                int page = writeSet.pageAt(i);
                MemorySegment.copy(preImages[writeSet.get(page)], 0, working, Pages.addressOf(page), Pages.SIZE);
            }
            release(manager.nextCommitVersion());
        }
        finish(false);
    }

    private void release(long commitVersion) {
        for (int i = 0; i < writeSet.size(); i++) {
            versions.unlock(writeSet.pageAt(i), commitVersion);
        }
    }

    private void finish(boolean committed) {
        readSet.clear();
        writeSet.clear();
        depth = 0;
        if (preImages.length > RETAINED_PRE_IMAGES) {
            // A huge transaction's pre-image buffers are not kept alive by the thread afterwards.
            preImages = new MemorySegment[16];
            dirtyLow = new int[16];
            dirtyHigh = new int[16];
        }
        beforeUnlock.clear();
        runAndClear(onFinish, false);
        if (committed) {
            onRollback.clear();
            runAndClear(afterCommit, false);
        } else {
            afterCommit.clear();
            runAndClear(onRollback, true);
        }
    }

    private static void runAndClear(java.util.ArrayList<Runnable> actions, boolean reverse) {
        if (actions.isEmpty()) {
            return;
        }
        Runnable[] copy = actions.toArray(Runnable[]::new);
        actions.clear();
        for (int i = 0; i < copy.length; i++) {
            copy[reverse ? copy.length - 1 - i : i].run();
        }
    }

    /**
     * Appends the byte runs where {@code page} differs from its pre-image, merging close runs.
     * Only the range written by this transaction can differ, so only it is compared.
     */
    private void appendDiff(int page, int index) {
        MemorySegment preImage = preImages[index];
        long base = Pages.addressOf(page);
        int runStart = -1;
        int runEnd = -1;
        int end = (dirtyHigh[index] + 7) & ~7;
        for (int offset = dirtyLow[index] & ~7; offset < end; offset += 8) {
            if (preImage.get(LONG, offset) != working.get(LONG, base + offset)) {
                if (runStart < 0) {
                    runStart = offset;
                }
                runEnd = offset + 8;
            } else if (runStart >= 0 && offset - runEnd >= DIFF_GAP) {
                record.addRange(base + runStart, working, base + runStart, runEnd - runStart);
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            record.addRange(base + runStart, working, base + runStart, runEnd - runStart);
        }
    }

    private void ensureWriteCapacity(int needed) {
        if (needed > preImages.length) {
            int capacity = Math.max(needed, preImages.length * 2);
            preImages = Arrays.copyOf(preImages, capacity);
            dirtyLow = Arrays.copyOf(dirtyLow, capacity);
            dirtyHigh = Arrays.copyOf(dirtyHigh, capacity);
        }
        for (int i = needed - 1; i >= 0 && preImages[i] == null; i--) {
            preImages[i] = MemorySegment.ofArray(new byte[Pages.SIZE]);
        }
    }
}
