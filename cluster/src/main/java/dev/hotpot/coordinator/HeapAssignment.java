package dev.hotpot.coordinator;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Who holds the copies of one heap.
 *
 * <ul>
 *   <li>{@code replicas}: how many copies the heap wants, the primary's included (1: no backup).</li>
 *   <li>{@code epoch}: 1 at creation, +1 on every change of {@code primary} or {@code inSync}; a
 *       change is a compare-and-set on it, and every replication message carries it.</li>
 *   <li>{@code primary}: the member that orders and serves writes, or null when the heap lost its
 *       primary and no in-sync backup was live to take over.</li>
 *   <li>{@code inSync}: the backups that have every durable write of the primary, in the order they
 *       were added (the order breaks ties at failover). The primary is not among them.</li>
 *   <li>{@code lastPrimary}: while {@code primary} is null, the member that was primary when the heap
 *       lost it: the only copy known to be complete, which takes the heap back when it returns.
 *       Null while the heap has a primary.</li>
 * </ul>
 *
 * <p>Invariants: {@code sizeBytes > 0}; {@code replicas >= 1}; {@code epoch >= 1};
 * {@code 1 + inSync.size() <= replicas}; {@code inSync} has no duplicates and not the primary;
 * exactly one of {@code primary} and {@code lastPrimary} is null; no primary means no backups.
 *
 * <p>Threading: immutable.
 */
public record HeapAssignment(String name, long sizeBytes, int replicas, long epoch, String primary,
                             List<String> inSync, String lastPrimary) {
    public HeapAssignment {
        Objects.requireNonNull(name, "name");
        inSync = List.copyOf(inSync);
        String context = "heap=" + name + " epoch=" + epoch;
        if (sizeBytes <= 0 || replicas < 1 || epoch < 1) {
            throw new IllegalArgumentException(context + " has sizeBytes=" + sizeBytes + " replicas=" + replicas
                    + ": all must be positive");
        }
        if ((primary == null) == (lastPrimary == null)) {
            throw new IllegalArgumentException(context + " has primary=" + primary + " and lastPrimary=" + lastPrimary
                    + ": exactly one must be set");
        }
        if (1 + inSync.size() > replicas || new HashSet<>(inSync).size() != inSync.size()
                || (primary == null ? !inSync.isEmpty() : inSync.contains(primary))) {
            throw new IllegalArgumentException(context + " has primary=" + primary + " inSync=" + inSync
                    + " replicas=" + replicas + ": backups must be distinct, exclude the primary, need a primary "
                    + "and fit in the replica count");
        }
    }

    /** A new heap: epoch 1, {@code creator} primary, no backups. */
    static HeapAssignment created(String name, long sizeBytes, int replicas, String creator) {
        return new HeapAssignment(name, sizeBytes, replicas, 1, creator, List.of(), null);
    }

    public boolean hasPrimary() {
        return primary != null;
    }

    /** The next epoch with this primary and these backups. */
    HeapAssignment next(String newPrimary, List<String> newInSync, String newLastPrimary) {
        return new HeapAssignment(name, sizeBytes, replicas, epoch + 1, newPrimary, newInSync, newLastPrimary);
    }
}
