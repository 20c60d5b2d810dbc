package dev.hotpot.tx;

import java.lang.foreign.MemorySegment;

/**
 * Where the commits of a node that does not order them go: a cluster node that is not its heap's
 * primary sends each commit to the primary, which validates and logs it
 * ({@link TransactionManager#commitForeign}). A single node has none and logs its commits itself.
 *
 * <p>Threading: called by any committing thread, concurrently.
 */
public interface CommitRoute {
    /** What {@link #commit} returns when the primary found the reads stale: the transaction re-runs. */
    long CONFLICT = -1;

    /**
     * Commits the record {@code body} of transaction {@code txId} on the primary, if every page in
     * {@code readPages} is still at a version no newer than {@code readVersion}. Returns only once
     * this node has applied the record (read-your-writes).
     *
     * @param readPages the pages the transaction read, written pages included; only the first
     *                  {@code readCount} entries count
     * @param losing    whether the transaction conflicted {@link TransactionManager#RUN_ALONE_AFTER}
     *                  times in a row and will run again after a conflict: the primary then commits
     *                  this attempt with every other commit held back and, if it conflicts all the
     *                  same, holds them back for a while for this node's next losing attempt
     * @return the record's commit sequence, or {@link #CONFLICT}
     * @throws dev.hotpot.HotpotException when the outcome is unknown or the commit could not be
     *                                    sent; its message says which
     */
    long commit(long txId, long readVersion, int[] readPages, int readCount, MemorySegment body, boolean losing);

    /**
     * Returns once this node has applied every commit acknowledged anywhere before the call (the
     * barrier of {@code Hotpot.sync()}).
     *
     * @throws dev.hotpot.HotpotException if the primary cannot be reached within the commit timeout
     */
    void sync();
}
