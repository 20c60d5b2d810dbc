package dev.hotpot.tx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One version word per heap page: the concurrency control state of the working copy.
 *
 * <pre>
 *  bit 63      lock: a record is being applied to the page (a commit holds it from before it
 *              validates until its record is appended and copied in)
 *  bits 0..62  version: the commit sequence of the last record applied to the page, or the
 *              sequence the heap opened at if none was applied since
 * </pre>
 *
 * <p>Next to each word, the log position up to which the log must be durable for the page's last
 * {@code SYNC} commit to be (0 if none): commits apply and unlock before their log force (early
 * lock release), so a reader that must not show a state a crash could take back waits for that
 * position first.
 *
 * <p>Invariants: the page's bytes change only while its word is locked, and only by the apply path
 * ({@link RecordApplier}); an unlocked page holds exactly the records applied up to its version.
 * Unlock is a release store after the bytes and the commit position are written. A page's
 * commit position only grows.
 *
 * <p>A record, so that its arrays are final fields the JIT trusts: held by a constant (see
 * {@link HeapAccess}), a version load compiles to one load from a fixed array.
 *
 * <p>Threading: lock-free; safe from any thread.
 */
record PageVersions(long[] words, long[] commitPositions) {
    static final long LOCK_BIT = 1L << 63;
    /** Accesses both arrays; plain arrays rather than atomic-array wrappers save a dependent load per read. */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * Versions for a working copy whose last applied record has sequence {@code lastSequence}. A page's
     * true version (its last record's sequence) is not kept across restarts, so every page starts at
     * {@code lastSequence}, an upper bound: a transaction that read before it never validates against
     * a page that may have changed since (a cluster primary validates other nodes' reads this way).
     */
    PageVersions(int pages, long lastSequence) {
        this(filled(pages, lastSequence), new long[pages]);
    }

    private static long[] filled(int pages, long version) {
        long[] words = new long[pages];
        java.util.Arrays.fill(words, version);
        return words;
    }

    /** Acquire: loads of the page that follow cannot move before it (seqlock reader). */
    long get(int page) {
        return (long) SLOT.getAcquire(words, page);
    }

    /** Locks {@code page} if its word is still {@code expected} (unlocked). */
    boolean tryLock(int page, long expected) {
        return SLOT.compareAndSet(words, page, expected, expected | LOCK_BIT);
    }

    /** Locks {@code page}, waiting as long as another applier holds it; returns the word it had. */
    long lock(int page) {
        while (true) {
            long word = awaitUnlocked(page);
            if (tryLock(page, word)) {
                return word;
            }
        }
    }

    /** The word of {@code page} once no apply holds it (an apply holds a page for one append and copy). */
    long awaitUnlocked(int page) {
        for (int spins = 0; ; spins++) {
            long word = get(page);
            if (!isLocked(word)) {
                return word;
            }
            Spin.pause(spins);
        }
    }

    /** Unlocks {@code page}, publishing its bytes at {@code version}, or restoring its word unchanged. */
    void unlock(int page, long version) {
        SLOT.setRelease(words, page, version);
    }

    /** Raises, before the page's bytes change, the log position that makes its last commit durable. */
    void raiseCommitPosition(int page, long lsn) {
        if (lsn > (long) SLOT.getOpaque(commitPositions, page)) {
            SLOT.setOpaque(commitPositions, page, lsn);
        }
    }

    /** The log position that makes {@code page}'s last {@code SYNC} commit durable. */
    long commitPosition(int page) {
        return (long) SLOT.getOpaque(commitPositions, page);
    }

    static boolean isLocked(long word) {
        return word < 0;
    }

    /** Whether a transaction reading at {@code readVersion} may read a page with this word: unlocked and not newer. */
    static boolean readableAt(long word, long readVersion) {
        return Long.compareUnsigned(word, readVersion) <= 0;
    }

    static long version(long word) {
        return word & ~LOCK_BIT;
    }
}
