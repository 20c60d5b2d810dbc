package dev.hotpot.coordinator;

import java.util.Objects;

/**
 * What the coordinator answers to a {@link Command} or a {@link Query}. A refusal is an answer, not
 * an error of the state machine: every replica refuses the same command the same way, and the client
 * turns it into a {@link CommandRefusedException}.
 *
 * <p>Threading: immutable.
 */
sealed interface Reply {
    /** The whole state, after the command (or as read). */
    record StateReply(ClusterState state) implements Reply {
        public StateReply {
            Objects.requireNonNull(state, "state");
        }
    }

    /** One heap's assignment, after the command. */
    record HeapReply(HeapAssignment heap) implements Reply {
        public HeapReply {
            Objects.requireNonNull(heap, "heap");
        }
    }

    /** A heartbeat was recorded; {@code version} is the state's version, so the sender sees changes cheaply. */
    record Ack(long version) implements Reply {
    }

    /** The command does not fit the state; {@code reason} says why and what to do. */
    record Refused(String reason) implements Reply {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A compare-and-set on a heap's epoch failed; {@code current} is the assignment to retry from. */
    record StaleEpoch(String reason, HeapAssignment current) implements Reply {
        public StaleEpoch {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(current, "current");
        }
    }
}
