package dev.hotpot.heap;

/**
 * Observes records leaving the log for the page image: each record a checkpoint or the recovery
 * at open applies ({@link #recordApplied}), then the end of that step, while the log still holds
 * the records. Called on the checkpoint thread, or on the thread that opens the heap.
 */
public interface CheckpointListener {
    CheckpointListener NONE = (fromLsn, toLsn) -> { };

    /**
     * A checkpoint has updated and forced the page image up to {@code toLsn}, but the header still
     * names the previous checkpoint. A crash here must lose nothing, because replay from the old
     * checkpoint is idempotent.
     */
    void imageApplied(long fromLsn, long toLsn);

    /** Recovery at open has applied the log from {@code fromLsn} to {@code toLsn}; the log is retired next. */
    default void replayed(long fromLsn, long toLsn) {
    }

    /** A checkpoint or recovery applied the record of transaction {@code txId}, commit {@code sequence}, to the image. */
    default void recordApplied(long txId, long sequence) {
    }
}
