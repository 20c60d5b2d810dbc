package dev.hotpot.coordinator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-only request, answered from a replica's applied state without going through the log.
 *
 * <p>Threading: immutable.
 */
sealed interface Query {
    /** The current state. */
    record GetState() implements Query {
    }

    /**
     * The first state with a version above {@code knownVersion}, or the current state once
     * {@code maxWaitMillis} passed: a long poll.
     */
    record AwaitChange(long knownVersion, long maxWaitMillis) implements Query {
        public AwaitChange {
            if (maxWaitMillis < 0) {
                throw new IllegalArgumentException("maxWaitMillis=" + maxWaitMillis + " is negative");
            }
        }
    }

    /**
     * A member's sign of life, with the durable log position of each heap it holds a copy of. Sent to
     * the leader only and kept in its memory only (see {@link FailureDetector}).
     */
    record Heartbeat(String nodeId, Map<String, Long> positions) implements Query {
        public Heartbeat {
            Peer.checkId(nodeId, "member");
            positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
        }
    }

    /**
     * {@code nodeId} lost its connection to member {@code suspectId} (the peer closed it, or a new
     * one was refused): a heartbeat of {@code nodeId} that also asks the leader to check at once
     * whether the suspect is gone (see {@link FailureDetector#suspected}).
     */
    record Suspect(String nodeId, Map<String, Long> positions, String suspectId) implements Query {
        public Suspect {
            Peer.checkId(nodeId, "member");
            Peer.checkId(suspectId, "suspected member");
            positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
        }
    }
}
