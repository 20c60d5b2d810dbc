package dev.hotpot.heap;

/**
 * Observes a checkpoint between its two durable steps: the page image has been updated and forced
 * up to {@code toLsn}, but the header still names the previous checkpoint. A crash here must lose
 * nothing, because replay from the old checkpoint is idempotent. Called on the checkpoint thread.
 */
@FunctionalInterface
public interface CheckpointListener {
    CheckpointListener NONE = (fromLsn, toLsn) -> { };

    void imageApplied(long fromLsn, long toLsn);
}
