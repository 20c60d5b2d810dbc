package dev.hotpot.cluster;

/**
 * Observes the steps of the replication protocol where a crash is hardest to get right. Tests
 * give a node one that halts the JVM at a chosen step ({@code hotpot.protocolSteps}); a node
 * runs with {@link #NONE}.
 *
 * <p>Threading: called from the thread that takes the step.
 */
@FunctionalInterface
public interface ProtocolSteps {
    ProtocolSteps NONE = step -> { };

    enum Step {
        /** On the primary: a commit's record is in its log, not yet shipped. */
        PRIMARY_APPENDED,
        /** On the primary: a backup acknowledged records that others may not have yet. */
        BACKUP_ACKNOWLEDGED,
        /** On the primary: another node's commit is committed, its reply not yet sent. */
        COMMITTED_BEFORE_REPLY,
        /** On a node promoted to primary: it adopted records of a longer log, and does not serve yet. */
        RECONCILING,
        /** On a node catching up: part of the primary's image is written. */
        CATCHING_UP,
        /** On any node: a checkpoint applied the log to the image, the header not yet moved. */
        CHECKPOINTING
    }

    void reached(Step step);
}
