package dev.hotpot.tx;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One version word per heap page: the concurrency control state of the working copy.
 *
 * <pre>
 *  bit 63      lock: a record is being applied to the page (a commit holds it from before it
 *              validates until its record is appended and copied in)
 *  bits 0..62  version: the commit sequence of the last record applied to the page
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
 * <p>Threading: lock-free; safe from any thread.
 */
final class PageVersions {
    static final long LOCK_BIT = 1L << 63;

    private final AtomicLongArray words;
    private final AtomicLongArray commitPositions;

    PageVersions(int pages) {
        words = new AtomicLongArray(pages);
        commitPositions = new AtomicLongArray(pages);
    }

    /** Acquire: loads of the page that follow cannot move before it (seqlock reader). */
    long get(int page) {
        return words.getAcquire(page);
    }

    /** Locks {@code page} if its word is still {@code expected} (unlocked). */
    boolean tryLock(int page, long expected) {
        return words.compareAndSet(page, expected, expected | LOCK_BIT);
    }

    /** Locks {@code page}, waiting as long as another applier holds it; returns the word it had. */
    long lock(int page) {
        for (int spins = 0; ; spins++) {
            long word = get(page);
            if (!isLocked(word) && tryLock(page, word)) {
                return word;
            }
            Spin.pause(spins);
        }
    }

    /** Unlocks {@code page}, publishing its bytes at {@code version}, or restoring its word unchanged. */
    void unlock(int page, long version) {
        words.setRelease(page, version);
    }

    /** Raises, before the page's bytes change, the log position that makes its last commit durable. */
    void raiseCommitPosition(int page, long lsn) {
        if (lsn > commitPositions.getOpaque(page)) {
            commitPositions.setOpaque(page, lsn);
        }
    }

    /** The log position that makes {@code page}'s last {@code SYNC} commit durable. */
    long commitPosition(int page) {
        return commitPositions.getOpaque(page);
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
