package dev.hotpot.tx;

/**
 * Where a cluster primary logged another node's transaction: the record's commit sequence and
 * the log position just past it; or, as {@link #CONFLICT} and {@link #MUST_WAIT}, why it logged none.
 *
 * <p>Threading: immutable.
 */
public record ForeignRecord(long sequence, long end) {
    /** The transaction read a page that changed since: the sender runs it again. */
    public static final ForeignRecord CONFLICT = new ForeignRecord(CommitRoute.CONFLICT, 0);
    /** Nothing was done: the commit needs a thread that may wait ({@link TransactionManager#tryCommitForeign}). */
    public static final ForeignRecord MUST_WAIT = new ForeignRecord(-2, -1);
}
