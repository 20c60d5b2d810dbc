package dev.hotpot.coordinator;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster's configuration as the coordinator replicates it: the members and where each heap's
 * copies are. It holds no page data.
 *
 * <ul>
 *   <li>{@code clusterId}: a random UUID chosen by the first change ever applied; null before.</li>
 *   <li>{@code version}: +1 with every applied change; a refused or no-op command leaves it.</li>
 *   <li>{@code nextMemberIndex}: the {@link Member#index()} the next new member gets.</li>
 * </ul>
 *
 * <p>Invariants: {@code version == 0} exactly when {@code clusterId} is null; keys of both maps equal
 * the member id and heap name of their values; member indexes are distinct and below
 * {@code nextMemberIndex}; every primary and in-sync backup is a live member.
 *
 * <p>Threading: immutable; the maps are unmodifiable and iterate in key order.
 */
public record ClusterState(String clusterId, long version, int nextMemberIndex,
                           SortedMap<String, Member> members, SortedMap<String, HeapAssignment> heaps) {
    /** The state before anything was applied. */
    static final ClusterState EMPTY = new ClusterState(null, 0, 1, new TreeMap<>(), new TreeMap<>());

    public ClusterState {
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
        heaps = Collections.unmodifiableSortedMap(new TreeMap<>(heaps));
        if ((clusterId == null) != (version == 0) || nextMemberIndex < 1) {
            throw new IllegalArgumentException("cluster state clusterId=" + clusterId + " version=" + version
                    + " nextMemberIndex=" + nextMemberIndex + " is inconsistent");
        }
    }

    public Optional<Member> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    public Optional<HeapAssignment> heap(String name) {
        return Optional.ofNullable(heaps.get(name));
    }

    /** Whether {@code id} is a member currently considered alive. */
    public boolean isLive(String id) {
        Member member = members.get(id);
        return member != null && member.live();
    }
}
