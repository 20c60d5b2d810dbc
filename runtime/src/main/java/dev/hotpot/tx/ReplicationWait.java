package dev.hotpot.tx;

/**
 * The second half of durability on a cluster primary: a record forced in the primary's log counts
 * as committed only once every in-sync backup has acknowledged it durable. Commits, rollbacks and
 * {@code SYNC} reads wait here after the local force, for log positions of the primary's own log.
 *
 * <p>Threading: called by any thread, concurrently.
 */
public interface ReplicationWait {
    /** Sends the records appended up to {@code lsn} to the backups, without waiting; called before the local force so that both overlap. */
    void ship(long lsn);

    /** Whether every in-sync backup has acknowledged the log durable up to {@code lsn}. */
    boolean isReplicated(long lsn);

    /**
     * Returns once every in-sync backup has acknowledged the log durable up to {@code lsn}.
     *
     * @throws dev.hotpot.HotpotException if that cannot be learnt within the commit timeout; the
     *                                    message says the outcome is unknown
     */
    void awaitReplicated(long lsn);
}
