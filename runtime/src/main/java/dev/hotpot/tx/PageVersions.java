package dev.hotpot.tx;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One version word per heap page: the concurrency control state of the working copy.
 *
 * <pre>
 *  bit 63       lock: a transaction owns the page and may have written it in place
 *  bits 48..62  owner: slot of the owning transaction (meaningful only while locked)
 *  bits 0..47   version: commit timestamp of the last transaction that wrote the page
 * </pre>
 *
 * Next to each word, the log position up to which the log must be durable for the page's last
 * {@code SYNC} commit to be (0 if none): commits unlock their pages before their log force
 * (early lock release), so a reader that must not see a state a crash could take back waits for
 * that position first.
 *
 * <p>Invariants: a locked page's bytes may be uncommitted and are read only by its owner; an
 * unlocked page's bytes are committed at its version, and durable once the log is durable up to
 * its commit position. Unlock is a release store after the page's bytes and commit position are
 * written. A page's commit position only grows: writers of a page are serialized by its lock and
 * each appends its record after the previous writer's.
 *
 * <p>Threading: lock-free; safe from any thread.
 */
final class PageVersions {
    static final long LOCK_BIT = 1L << 63;
    static final int OWNER_SHIFT = 48;
    static final int OWNER_MASK = 0x7FFF;
    static final long VERSION_MASK = (1L << OWNER_SHIFT) - 1;

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

    /** Locks {@code page} for {@code owner} if its word is still {@code expected} (unlocked). */
    boolean tryLock(int page, long expected, int owner) {
        return words.compareAndSet(page, expected, LOCK_BIT | ((long) owner << OWNER_SHIFT) | version(expected));
    }

    /** Records, before the unlock that publishes it, the log position that makes {@code page}'s commit durable. */
    void setCommitPosition(int page, long lsn) {
        commitPositions.setOpaque(page, lsn);
    }

    /** The log position that makes {@code page}'s last {@code SYNC} commit durable; read after {@link #get}. */
    long commitPosition(int page) {
        return commitPositions.getOpaque(page);
    }

    /** Unlocks {@code page}, publishing its bytes at {@code version}. */
    void unlock(int page, long version) {
        words.setRelease(page, version & VERSION_MASK);
    }

    static boolean isLocked(long word) {
        return word < 0;
    }

    static int owner(long word) {
        return (int) (word >>> OWNER_SHIFT) & OWNER_MASK;
    }

    static long version(long word) {
        return word & VERSION_MASK;
    }
}
