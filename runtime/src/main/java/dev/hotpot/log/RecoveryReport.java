package dev.hotpot.log;

/**
 * What recovery at open found and did.
 *
 * @param fromLsn       the checkpoint replay started from
 * @param records       committed transactions replayed
 * @param bytesApplied  heap bytes rewritten by replay
 * @param endLsn        the position after the last valid record
 * @param lastSequence  the commit sequence of the last record replayed, 0 if none: later commits
 *                      continue after it
 * @param tornTail      whether a record was being written at the crash and was dropped
 * @param tornInfo      what was wrong with the dropped record, or null
 * @param droppedCopy   file that keeps the bytes recovery did not replay, or null
 * @param nanos         time spent replaying and forcing
 */
public record RecoveryReport(long fromLsn, long records, long bytesApplied, long endLsn, long lastSequence, boolean tornTail,
                             String tornInfo, java.nio.file.Path droppedCopy, long nanos) {

    @Override
    public String toString() {
        String base = "replayed " + records + " transactions (" + bytesApplied + " bytes) from lsn " + fromLsn
                + " to " + endLsn + " in " + (nanos / 1_000_000) + " ms";
        return tornTail ? base + "; dropped an incomplete record at lsn " + endLsn + " (" + tornInfo
                + "), its bytes are kept in " + droppedCopy : base;
    }
}
