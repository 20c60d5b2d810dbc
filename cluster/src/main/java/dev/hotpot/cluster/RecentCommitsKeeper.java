package dev.hotpot.cluster;

import dev.hotpot.heap.CheckpointListener;

import java.nio.file.Path;

/**
 * Keeps the transaction ids of records that leave the log: each record a checkpoint or recovery
 * applies to the image joins {@link RecentCommits}, and before the log that holds them is retired
 * the newest ids are written to {@link #FILE} in the heap's folder. Passes checkpoint progress on
 * to the heap's own listener and marks the {@code CHECKPOINTING} protocol step.
 *
 * <p>Threading: called on the checkpoint thread, or on the thread that opens the heap or replaces
 * its image; never two at once.
 */
final class RecentCommitsKeeper implements CheckpointListener {
    static final String FILE = "recent-commits";

    private final RecentCommits recent;
    private final Path file;
    private final CheckpointListener next;
    private final ProtocolSteps steps;

    RecentCommitsKeeper(RecentCommits recent, Path heapDirectory, CheckpointListener next, ProtocolSteps steps) {
        this.recent = recent;
        this.file = heapDirectory.resolve(FILE);
        this.next = next;
        this.steps = steps;
    }

    /** Adds the ids saved by earlier checkpoints to the table: call before the heap opens. */
    void load() {
        RecentCommitsFile.load(file, recent);
    }

    /**
     * Replaces the table and the file with the ids of an image taken from the primary, pairs
     * (txId, sequence) oldest first: call while the heap is closed, before it opens on that image.
     */
    void replaceWith(long[] pairs) {
        recent.replaceWith(pairs);
        RecentCommitsFile.save(recent, RecentCommits.SAVED, file);
    }

    @Override
    public void recordApplied(long txId, long sequence) {
        recent.logged(txId, sequence);
        next.recordApplied(txId, sequence);
    }

    @Override
    public void imageApplied(long fromLsn, long toLsn) {
        RecentCommitsFile.save(recent, RecentCommits.SAVED, file);
        next.imageApplied(fromLsn, toLsn);
        steps.reached(ProtocolSteps.Step.CHECKPOINTING);
    }

    @Override
    public void replayed(long fromLsn, long toLsn) {
        RecentCommitsFile.save(recent, RecentCommits.SAVED, file);
        next.replayed(fromLsn, toLsn);
    }
}
