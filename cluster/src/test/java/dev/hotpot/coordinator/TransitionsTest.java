package dev.hotpot.coordinator;

import dev.hotpot.coordinator.Command.AddBackup;
import dev.hotpot.coordinator.Command.CreateHeap;
import dev.hotpot.coordinator.Command.Join;
import dev.hotpot.coordinator.Command.NodeFailed;
import dev.hotpot.coordinator.Command.NodeReturned;
import dev.hotpot.coordinator.Command.RemoveBackup;
import dev.hotpot.coordinator.Command.RenewEpoch;
import dev.hotpot.coordinator.Command.StepDown;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The coordinator's commands applied to states directly, without Ratis. */
class TransitionsTest {
    private static final String CLUSTER_ID = "5b0c3a0e-5f1e-4a43-9d7e-0d7a1b0e2c11";
    private static final long SIZE = 1 << 20;

    private ClusterState state = ClusterState.EMPTY;

    private Reply apply(Command command) {
        Transitions.Result result = Transitions.apply(state, command, CLUSTER_ID);
        state = result.state();
        return result.reply();
    }

    private HeapAssignment heap(Command command) {
        Reply reply = apply(command);
        return assertInstanceOf(Reply.HeapReply.class, reply, () -> "reply " + reply).heap();
    }

    private String refusal(Command command) {
        ClusterState before = state;
        Reply reply = apply(command);
        assertSame(before, state, "a refused command changes nothing");
        return assertInstanceOf(Reply.Refused.class, reply, () -> "reply " + reply).reason();
    }

    private void join(String... ids) {
        for (String id : ids) {
            apply(new Join(id, "10.0.0." + (state.members().size() + 1), 7101, false));
        }
    }

    @Test
    void firstChangeAdoptsTheClusterIdAndEveryChangeGrowsTheVersion() {
        assertNull(state.clusterId());
        Reply reply = apply(new Join("n1", "10.0.0.1", 7101, true));
        ClusterState joined = assertInstanceOf(Reply.StateReply.class, reply).state();
        assertEquals(state, joined, "the reply is the state after the command");
        assertEquals(CLUSTER_ID, state.clusterId());
        assertEquals(1, state.version());

        Transitions.Result second = Transitions.apply(state, new Join("n2", "10.0.0.2", 7101, false), "another-proposal");
        assertEquals(CLUSTER_ID, second.state().clusterId(), "later proposals are ignored");
        assertEquals(2, second.state().version());
    }

    @Test
    void joinAssignsIndexesOnceAndNeverReusesThem() {
        join("a", "b");
        assertEquals(1, state.members().get("a").index());
        assertEquals(2, state.members().get("b").index());
        assertTrue(state.isLive("a"));

        long version = state.version();
        apply(new Join("a", "10.0.0.1", 7101, false));
        assertEquals(version, state.version(), "joining again with the same address changes nothing");

        apply(new Join("a", "10.0.0.9", 7201, false));
        Member moved = state.members().get("a");
        assertEquals("10.0.0.9", moved.host());
        assertEquals(7201, moved.port());
        assertEquals(1, moved.index(), "an address change keeps the index");
        assertEquals(version + 1, state.version());

        join("c");
        assertEquals(3, state.members().get("c").index());
        assertEquals(4, state.nextMemberIndex());
    }

    @Test
    void joinRefusesAnotherPeerFlagOrATakenAddress() {
        apply(new Join("n1", "10.0.0.1", 7101, true));
        String flag = refusal(new Join("n1", "10.0.0.1", 7101, false));
        assertTrue(flag.contains("peer=true") && flag.contains("peer=false"), flag);

        String address = refusal(new Join("n2", "10.0.0.1", 7101, false));
        assertTrue(address.contains("live member id=n1"), address);

        apply(new NodeFailed("n1", Map.of()));
        apply(new Join("n2", "10.0.0.1", 7101, false));
        assertEquals("10.0.0.1", state.member("n2").orElseThrow().host(), "a failed member's address can be reused");
    }

    @Test
    void createIsIdempotentAndRefusesAnotherSizeNamingBoth() {
        join("a");
        HeapAssignment created = heap(new CreateHeap("bank", SIZE, 2, "a"));
        assertEquals(new HeapAssignment("bank", SIZE, 2, 1, "a", List.of(), null), created);
        long version = state.version();

        assertEquals(created, heap(new CreateHeap("bank", SIZE, 2, "b-not-member")), "an existing heap is returned");
        assertEquals(version, state.version());

        String size = refusal(new CreateHeap("bank", 2 * SIZE, 2, "a"));
        assertTrue(size.contains("sizeBytes=" + SIZE) && size.contains("sizeBytes=" + 2 * SIZE), size);
        String replicas = refusal(new CreateHeap("bank", SIZE, 3, "a"));
        assertTrue(replicas.contains("replicas=2") && replicas.contains("replicas=3"), replicas);
        String creator = refusal(new CreateHeap("other", SIZE, 2, "nobody"));
        assertTrue(creator.contains("not a live member"), creator);
    }

    @Test
    void backupChangesAreCompareAndSetOnTheEpoch() {
        join("a", "b", "c");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 3, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));
        assertEquals(2, heap.epoch());
        assertEquals(List.of("b"), heap.inSync());

        ClusterState before = state;
        Reply stale = apply(new AddBackup("bank", 1, "c"));
        assertSame(before, state);
        Reply.StaleEpoch mismatch = assertInstanceOf(Reply.StaleEpoch.class, stale);
        assertEquals(heap, mismatch.current(), "the refusal carries the assignment to retry from");
        assertTrue(mismatch.reason().contains("epoch=2") && mismatch.reason().contains("epoch=1"), mismatch.reason());

        heap = heap(new AddBackup("bank", 2, "c"));
        assertEquals(List.of("b", "c"), heap.inSync());
        assertInstanceOf(Reply.StaleEpoch.class, apply(new RemoveBackup("bank", 2, "b")));
        heap = heap(new RemoveBackup("bank", 3, "b"));
        assertEquals(4, heap.epoch());
        assertEquals(List.of("c"), heap.inSync());
    }

    @Test
    void aRestartedPrimaryRenewsTheEpochKeepingItsBackups() {
        join("a", "b", "c");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 3, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));
        HeapAssignment renewed = heap(new RenewEpoch("bank", heap.epoch(), "a"));
        assertEquals(heap.epoch() + 1, renewed.epoch());
        assertEquals("a", renewed.primary());
        assertEquals(List.of("b"), renewed.inSync());
        assertInstanceOf(Reply.StaleEpoch.class, apply(new RenewEpoch("bank", heap.epoch(), "a")));
        assertTrue(refusal(new RenewEpoch("bank", renewed.epoch(), "b")).contains("is not its primary"));
    }

    @Test
    void aRestartedPrimaryStepsDownToItsFirstLiveBackup() {
        join("a", "b", "c");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 3, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));
        heap = heap(new AddBackup("bank", heap.epoch(), "c"));
        HeapAssignment handed = heap(new StepDown("bank", heap.epoch(), "a"));
        assertEquals("b", handed.primary());
        assertEquals(List.of("c"), handed.inSync());
        assertEquals(heap.epoch() + 1, handed.epoch());
        assertTrue(refusal(new StepDown("bank", handed.epoch(), "a")).contains("is not its primary"));

        HeapAssignment lone = heap(new CreateHeap("solo", SIZE, 3, "c"));
        assertTrue(refusal(new StepDown("solo", lone.epoch(), "c")).contains("no live in-sync backup"));
    }

    @Test
    void backupChangesRefuseWhatDoesNotFit() {
        join("a", "b", "c");
        apply(new NodeFailed("c", Map.of()));
        heap(new CreateHeap("bank", SIZE, 2, "a"));

        assertTrue(refusal(new AddBackup("nope", 1, "b")).contains("no such heap"));
        assertTrue(refusal(new AddBackup("bank", 1, "a")).contains("already holds a copy"));
        assertTrue(refusal(new AddBackup("bank", 1, "c")).contains("not a live member"));
        assertTrue(refusal(new RemoveBackup("bank", 1, "b")).contains("not an in-sync backup"));
        heap(new AddBackup("bank", 1, "b"));
        apply(new Join("c", "10.0.0.3", 7101, false));
        String full = refusal(new AddBackup("bank", 2, "c"));
        assertTrue(full.contains("replicas=2"), full);
    }

    @Test
    void failedPrimaryIsReplacedByTheLiveBackupWithTheHighestPosition() {
        join("a", "b", "c", "d");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 4, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));
        heap = heap(new AddBackup("bank", heap.epoch(), "c"));
        heap = heap(new AddBackup("bank", heap.epoch(), "d"));
        long epoch = heap.epoch();

        apply(new NodeFailed("a", Map.of("bank", Map.of("b", 100L, "c", 250L, "d", 250L))));
        HeapAssignment after = state.heap("bank").orElseThrow();
        assertFalse(state.isLive("a"));
        assertEquals("c", after.primary(), "highest position wins; a tie goes to the earlier backup");
        assertEquals(List.of("b", "d"), after.inSync());
        assertEquals(epoch + 1, after.epoch());
        assertNull(after.lastPrimary());
    }

    @Test
    void unreportedPositionsCountLowestAndTheFirstBackupWinsATie() {
        join("a", "b", "c");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 3, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));
        heap(new AddBackup("bank", heap.epoch(), "c"));

        apply(new NodeFailed("a", Map.of()));
        assertEquals("b", state.heap("bank").orElseThrow().primary());
    }

    @Test
    void failedBackupLeavesTheInSyncSet() {
        join("a", "b", "c");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 3, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));
        heap = heap(new AddBackup("bank", heap.epoch(), "c"));

        apply(new NodeFailed("b", Map.of()));
        HeapAssignment after = state.heap("bank").orElseThrow();
        assertEquals("a", after.primary());
        assertEquals(List.of("c"), after.inSync());
        assertEquals(heap.epoch() + 1, after.epoch());

        long version = state.version();
        apply(new NodeFailed("b", Map.of()));
        assertEquals(version, state.version(), "failing a failed member again changes nothing");
        assertTrue(refusal(new NodeFailed("ghost", Map.of())).contains("never joined"));
    }

    @Test
    void heapWithoutLiveBackupLosesItsPrimaryUntilTheLastPrimaryReturns() {
        join("a", "b");
        HeapAssignment heap = heap(new CreateHeap("bank", SIZE, 2, "a"));
        heap = heap(new AddBackup("bank", heap.epoch(), "b"));

        apply(new NodeFailed("b", Map.of()));
        apply(new NodeFailed("a", Map.of()));
        HeapAssignment orphan = state.heap("bank").orElseThrow();
        assertNull(orphan.primary());
        assertEquals("a", orphan.lastPrimary());
        assertEquals(heap.epoch() + 2, orphan.epoch());

        apply(new NodeReturned("b"));
        assertTrue(state.isLive("b"));
        assertNull(state.heap("bank").orElseThrow().primary(), "b missed writes: it cannot take the heap");
        assertTrue(refusal(new AddBackup("bank", orphan.epoch(), "b")).contains("no primary"));

        apply(new NodeReturned("a"));
        HeapAssignment back = state.heap("bank").orElseThrow();
        assertEquals(new HeapAssignment("bank", SIZE, 2, orphan.epoch() + 1, "a", List.of(), null), back);
    }

    @Test
    void rejoiningAfterAFailureTakesBackTheHeap() {
        join("a");
        heap(new CreateHeap("bank", SIZE, 1, "a"));
        apply(new NodeFailed("a", Map.of()));
        assertNull(state.heap("bank").orElseThrow().primary());

        apply(new Join("a", "10.0.0.1", 7101, false));
        assertTrue(state.isLive("a"));
        assertEquals("a", state.heap("bank").orElseThrow().primary());
    }

    @Test
    void theFirstChangeNeedsAClusterIdProposal() {
        assertThrows(IllegalStateException.class,
                () -> Transitions.apply(ClusterState.EMPTY, new Join("a", "h", 1, false), null));
        Transitions.Result refused = Transitions.apply(ClusterState.EMPTY, new NodeReturned("a"), null);
        assertSame(ClusterState.EMPTY, refused.state(), "a refusal needs no cluster id");
    }
}
