package dev.hotpot.coordinator;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A change to the {@link ClusterState}: one entry of the Ratis log. {@link Transitions} applies it;
 * {@link MessageCodec} encodes it.
 *
 * <p>Invariants: the arguments are well formed (checked here, before a command reaches the log); whether
 * the command fits the state is decided when it is applied.
 *
 * <p>Threading: immutable.
 */
sealed interface Command {
    /** Adds a member or updates its address, and marks it live. */
    record Join(String id, String host, int port, boolean peer) implements Command {
        public Join {
            Peer.checkId(id, "member");
            if (host == null || host.isBlank() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("member id=" + id + " needs a host and a port in 1..65535, got host="
                        + host + " port=" + port);
            }
        }
    }

    /** Creates a heap with {@code creatorId} as primary unless one of that name exists. */
    record CreateHeap(String name, long sizeBytes, int replicas, String creatorId) implements Command {
        public CreateHeap {
            checkHeapName(name);
            Peer.checkId(creatorId, "creator");
            if (sizeBytes <= 0 || replicas < 1) {
                throw new IllegalArgumentException("heap=" + name + " needs a positive size and replica count, got sizeBytes="
                        + sizeBytes + " replicas=" + replicas);
            }
        }
    }

    /** Adds {@code nodeId} to the heap's in-sync backups if the heap is still at {@code expectedEpoch}. */
    record AddBackup(String heap, long expectedEpoch, String nodeId) implements Command {
        public AddBackup {
            checkHeapName(heap);
            Peer.checkId(nodeId, "backup");
        }
    }

    /** Removes {@code nodeId} from the heap's in-sync backups if the heap is still at {@code expectedEpoch}. */
    record RemoveBackup(String heap, long expectedEpoch, String nodeId) implements Command {
        public RemoveBackup {
            checkHeapName(heap);
            Peer.checkId(nodeId, "backup");
        }
    }

    /**
     * Moves the heap to a new epoch with the same primary and backups, if it is still at
     * {@code expectedEpoch} with {@code primaryId} primary: a primary that restarted takes one
     * before it logs anything, so that no sequence it hands out can repeat one of its earlier life.
     */
    record RenewEpoch(String heap, long expectedEpoch, String primaryId) implements Command {
        public RenewEpoch {
            checkHeapName(heap);
            Peer.checkId(primaryId, "primary");
        }
    }

    /**
     * Hands the heap from {@code primaryId}, a primary that restarted, to its first live in-sync
     * backup, if it is still at {@code expectedEpoch}: the backups' logs continue where they were,
     * so they follow the new primary without an image, and the restarted node catches up from it.
     */
    record StepDown(String heap, long expectedEpoch, String primaryId) implements Command {
        public StepDown {
            checkHeapName(heap);
            Peer.checkId(primaryId, "primary");
        }
    }

    /**
     * Marks a member not live and moves its heaps on. {@code positions}: per heap, the durable log
     * position each member last reported (what the leader heard); it decides which backup is promoted.
     */
    record NodeFailed(String nodeId, Map<String, Map<String, Long>> positions) implements Command {
        public NodeFailed {
            Peer.checkId(nodeId, "member");
            TreeMap<String, Map<String, Long>> copy = new TreeMap<>();
            positions.forEach((heap, byMember) -> copy.put(heap, Collections.unmodifiableSortedMap(new TreeMap<>(byMember))));
            positions = Collections.unmodifiableSortedMap(copy);
        }
    }

    /** Marks a member live again; a heap it was the last primary of becomes its again. */
    record NodeReturned(String nodeId) implements Command {
        public NodeReturned {
            Peer.checkId(nodeId, "member");
        }
    }

    /** Heap names follow the heap's own rule: 1 to 100 letters, digits, {@code . _ -}. */
    static void checkHeapName(String name) {
        Objects.requireNonNull(name, "heap name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("heap name=" + name
                    + " is invalid: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
