package dev.hotpot.coordinator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        Placement placement = new Placement();
        placement.placement.stateChanged();
        placement.at(1499);
        assertEquals(List.of(), placement.handedTo, "a just became primary (a failover): its backups read the state now");

        placement.millis.set(2000);
        placement.placement.stateChanged();
        placement.at(3499);
        assertEquals(List.of(), placement.handedTo, "the state changed 1499 ms ago");

        placement.at(3500);
        assertEquals(List.of("b"), placement.handedTo, "settled for 1500 ms: the leadership leaves the primary");
    }

    @Test
    void aStateThatKeepsChangingDelaysTheHandOverByTenSettleTimesAtMost() {
        Placement placement = new Placement();
        for (int second = 0; second < 15; second++) {
            placement.placement.stateChanged();
            placement.at(second * 1000L);
        }
        assertEquals(List.of(), placement.handedTo, "wanted for 14 s, the state changing every second");
        placement.placement.stateChanged();
        placement.at(15_000);
        assertEquals(List.of("b"), placement.handedTo, "wanted for 15 s, ten settle times: it hands over all the same");
    }

    @Test
    void afterFailedHandOversTheNextWaitsOneSecondThenTwiceAsLong() {
        Placement placement = new Placement(CompletableFuture.failedFuture(new IllegalStateException("an election raced it")));
        placement.at(1500);
        assertEquals(1, placement.handedTo.size(), "settled: the first try");
        placement.at(2499);
        assertEquals(1, placement.handedTo.size(), "999 ms after a failure");
        placement.at(2500);
        assertEquals(2, placement.handedTo.size(), "1 s after the first failure");
        placement.at(4499);
        assertEquals(2, placement.handedTo.size(), "1999 ms after the second failure in a row");
        placement.at(4500);
        assertEquals(List.of("b", "b", "b"), placement.handedTo, "2 s after the second failure");
    }

    /** Leader a is primary of the one heap, b and c are not; a settle time of 1500 ms; a clock the test moves. */
    private static final class Placement {
        final AtomicLong millis = new AtomicLong(-5_000);
        final List<String> handedTo = new CopyOnWriteArrayList<>();
        final LeaderPlacement placement;

        Placement() {
            this(new CompletableFuture<>());
        }

        /** Every hand-over completes as {@code outcome} does. */
        Placement(CompletableFuture<Object> outcome) {
            ClusterState state = state(List.of(peer("a", true), peer("b", true), peer("c", true)), "a");
            placement = new LeaderPlacement("a", () -> state, EVERYONE_HEARD, peer -> {
                handedTo.add(peer);
                return outcome;
            }, null, () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), 0, 1500);
            millis.set(0);
        }

        /** Moves the clock to {@code offsetMillis} and runs a check. */
        void at(long offsetMillis) {
            millis.set(offsetMillis);
            placement.check();
        }
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
