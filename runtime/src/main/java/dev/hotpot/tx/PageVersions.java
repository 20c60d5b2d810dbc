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
 * <p>Invariants: a locked page's bytes may be uncommitted and are read only by its owner; an
 * unlocked page's bytes are committed at its version. Unlock is a release store after the page's
 * bytes (and, when durable modes apply, the log force) are complete.
 *
 * <p>Threading: lock-free; safe from any thread.
 */
final class PageVersions {
    static final long LOCK_BIT = 1L << 63;
    static final int OWNER_SHIFT = 48;
    static final int OWNER_MASK = 0x7FFF;
    static final long VERSION_MASK = (1L << OWNER_SHIFT) - 1;

    private final AtomicLongArray words;

    PageVersions(int pages) {
        words = new AtomicLongArray(pages);
    }

    /** Acquire: loads of the page that follow cannot move before it (seqlock reader). */
    long get(int page) {
        return words.getAcquire(page);
    }

    /** Locks {@code page} for {@code owner} if its word is still {@code expected} (unlocked). */
    boolean tryLock(int page, long expected, int owner) {
        return words.compareAndSet(page, expected, LOCK_BIT | ((long) owner << OWNER_SHIFT) | version(expected));
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
