package dev.hotpot.coordinator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the coordinator's leadership should go: off a heap's primary, to the live peer that is primary of fewest. */
class LeaderPlacementTest {
    private static final Predicate<String> EVERYONE_HEARD = id -> true;

    @Test
    void aLeaderThatIsPrimaryHandsOverToALivePeerThatIsNot() {
        ClusterState state = state(List.of(peer("a", true), peer("b", true), peer("c", true)), "a");
        assertEquals(Optional.of("b"), LeaderPlacement.betterLeader(state, "a", EVERYONE_HEARD), "the lowest id among equals");
        assertEquals(Optional.empty(), LeaderPlacement.betterLeader(state, "b", EVERYONE_HEARD), "b is primary of nothing: it stays");
    }

    @Test
    void onlyLivePeersThatArePrimaryOfFewerHeapsQualify() {
        ClusterState deadOrNoPeer = state(List.of(peer("a", true), peer("b", false),
                new Member("c", "h", 3, false, 3, true)), "a");
        assertEquals(Optional.empty(), LeaderPlacement.betterLeader(deadOrNoPeer, "a", EVERYONE_HEARD),
                "b is not live, c hosts no coordinator replica");

        ClusterState even = state(List.of(peer("a", true), peer("b", true)), "a", "b");
        assertEquals(Optional.empty(), LeaderPlacement.betterLeader(even, "a", EVERYONE_HEARD), "b is primary of as many heaps");

        ClusterState uneven = state(List.of(peer("a", true), peer("b", true), peer("c", true)), "a", "a", "b");
        assertEquals(Optional.of("c"), LeaderPlacement.betterLeader(uneven, "a", EVERYONE_HEARD), "c is primary of fewest");
    }

    @Test
    void aPeerNotHeardWithinTheLeaseIsPassedOver() {
        ClusterState state = state(List.of(peer("a", true), peer("b", true), peer("c", true)), "a");
        assertEquals(Optional.of("c"), LeaderPlacement.betterLeader(state, "a", id -> !id.equals("b")),
                "b is live in the state but silent (restarting): c takes over");
        assertEquals(Optional.empty(), LeaderPlacement.betterLeader(state, "a", id -> false),
                "no peer heard: a keeps leading rather than stop writes for a hand-over that cannot finish");
    }

    @Test
    void aHandOverWaitsUntilTheStateHasNotChangedForTheSettleTime() {
        AtomicLong millis = new AtomicLong(5_000);
        AtomicReference<ClusterState> state = new AtomicReference<>(
                state(List.of(peer("a", true), peer("b", true), peer("c", true)), "a"));
        List<String> handedTo = new CopyOnWriteArrayList<>();
        LeaderPlacement placement = new LeaderPlacement("a", state::get, EVERYONE_HEARD, peer -> {
            handedTo.add(peer);
            return new CompletableFuture<>();
        }, null, () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), 0, 1500);

        placement.check();
        millis.addAndGet(1499);
        placement.check();
        assertEquals(List.of(), handedTo, "a just became primary (a failover): its backups read the state now");

        ClusterState changed = state.get();
        state.set(new ClusterState(changed.clusterId(), changed.version() + 1, changed.nextMemberIndex(), changed.members(),
                changed.heaps()));
        millis.addAndGet(1000);
        placement.check();
        millis.addAndGet(1499);
        placement.check();
        assertEquals(List.of(), handedTo, "the state changed 1499 ms ago");

        millis.addAndGet(1);
        placement.check();
        assertEquals(List.of("b"), handedTo, "settled for 1500 ms: the leadership leaves the primary");
    }

    private static Member peer(String id, boolean live) {
        return new Member(id, "h", id.charAt(0), true, id.charAt(0), live);
    }

    /** A state with {@code members} and one heap per entry of {@code primaries}, whose primary it names. */
    private static ClusterState state(List<Member> members, String... primaries) {
        TreeMap<String, Member> byId = new TreeMap<>();
        members.forEach(member -> byId.put(member.id(), member));
        TreeMap<String, HeapAssignment> heaps = new TreeMap<>();
        for (int i = 0; i < primaries.length; i++) {
            heaps.put("heap" + i, new HeapAssignment("heap" + i, 4096, 3, 1, primaries[i], List.of(), null));
        }
        return new ClusterState("id", 1, members.size() + 1, byId, heaps);
    }
}
