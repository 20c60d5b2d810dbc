package dev.hotpot.coordinator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The leader's judgement on a clock the test moves. The detector's own periodic checks run too, but
 * they see the same clock and state as the test's, and a command in flight is never sent twice.
 */
class FailureDetectorTest {
    private static final Duration LEASE = Duration.ofMillis(1000);

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Command> submitted = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Object>> pending = new CopyOnWriteArrayList<>();
    private volatile ClusterState state;
    private final FailureDetector detector = new FailureDetector("n1", CoordinatorSettings.defaults().withLease(LEASE),
            () -> state, command -> {
                CompletableFuture<Object> done = new CompletableFuture<>();
                submitted.add(command);
                pending.add(done);
                return done;
            }, () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), timer, this::probe);
    /** Members whose address refuses connections, as the probe sees it. */
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<String> probes = new LinkedBlockingQueue<>();

    private boolean probe(Member member) {
        probes.add(member.id());
        return gone.contains(member.id());
    }

    @AfterEach
    void stop() {
        detector.stopLeading();
        timer.shutdownNow();
    }

    /** a is primary of bank, b and c its backups; {@code liveA} says whether a is live. */
    private void threeMembers(boolean liveA) {
        TreeMap<String, Member> members = new TreeMap<>();
        members.put("a", new Member("a", "h", 1, false, 1, liveA));
        members.put("b", new Member("b", "h", 2, false, 2, true));
        members.put("c", new Member("c", "h", 3, false, 3, true));
        TreeMap<String, HeapAssignment> heaps = new TreeMap<>();
        heaps.put("bank", liveA
                ? new HeapAssignment("bank", 4096, 3, 3, "a", List.of("b", "c"), null)
                : new HeapAssignment("bank", 4096, 3, 4, null, List.of(), "a"));
        state = new ClusterState("id", 5, 4, members, heaps);
    }

    private void at(long offsetMillis) {
        millis.set(1_000_000 + offsetMillis);
    }

    @Test
    void aMemberSilentLongerThanItsLeaseIsReportedOnceWithTheLatestPositions() {
        threeMembers(true);
        at(0);
        detector.startLeading();
        at(100);
        detector.heard("a", Map.of("bank", 40L));
        detector.heard("b", Map.of("bank", 30L));
        detector.heard("c", Map.of("bank", 20L));
        at(900);
        detector.heard("b", Map.of("bank", 60L));
        detector.heard("c", Map.of("bank", 80L));
        at(1100);
        detector.check();
        assertEquals(List.of(), submitted, "silent for exactly the lease is not yet failed");

        at(1101);
        detector.check();
        detector.check();
        assertEquals(List.of(new Command.NodeFailed("a", Map.of("bank", Map.of("b", 60L, "c", 80L)))), submitted,
                "b and c heard 201 ms ago are fine; a is reported once, with what its backups last said");
    }

    @Test
    void aNewLeaderGivesEveryMemberItHasNotHeardTwoLeasesFromItsStart() {
        threeMembers(true);
        at(0);
        detector.heard("a", Map.of());
        at(5000);
        detector.startLeading();
        at(5000 + LEASE.toMillis());
        detector.check();
        assertEquals(List.of(), submitted);

        at(5001 + LEASE.toMillis());
        detector.check();
        assertEquals(List.of(new Command.NodeFailed("a", Map.of("bank", Map.of()))), submitted,
                "a, heard before this leadership, is judged a lease after its start; b and c, never heard, get a second lease");

        at(5001 + 2 * LEASE.toMillis());
        detector.check();
        assertEquals(3, submitted.size(), "every member not heard by this leader is judged two leases after the start");
    }

    @Test
    void aMemberHeardByTheNewLeaderIsJudgedAFullLeaseAfterItsHeartbeat() {
        threeMembers(true);
        at(0);
        detector.startLeading();
        at(100);
        detector.heard("a", Map.of());
        at(101 + LEASE.toMillis());
        detector.check();
        assertEquals(List.of(new Command.NodeFailed("a", Map.of("bank", Map.of()))), submitted,
                "a was heard and then went silent; b and c are still in their second lease");
    }

    @Test
    void aMemberThatJustJoinedGetsAFullLease() {
        threeMembers(true);
        ClusterState before = state;
        TreeMap<String, Member> members = new TreeMap<>(before.members());
        members.put("d", new Member("d", "h", 4, false, 4, true));
        at(0);
        detector.startLeading();
        for (String id : List.of("a", "b", "c")) {
            detector.heard(id, Map.of());
        }
        at(5000);
        for (String id : List.of("a", "b", "c")) {
            detector.heard(id, Map.of());
        }
        state = new ClusterState("id", 6, 5, members, before.heaps());
        detector.applied(before, state);
        at(5000 + LEASE.toMillis());
        detector.check();
        assertEquals(List.of(), submitted, "d joined long after the leadership began, and is not judged yet");

        at(5001 + LEASE.toMillis());
        detector.check();
        assertTrue(submitted.contains(new Command.NodeFailed("d", Map.of())), () -> "submitted " + submitted);
    }

    @Test
    void aFailedMemberHeardDuringThisLeadershipIsReportedReturned() {
        threeMembers(false);
        at(0);
        detector.heard("a", Map.of());
        detector.heard("b", Map.of());
        detector.heard("c", Map.of());
        at(10);
        detector.startLeading();
        detector.check();
        assertEquals(List.of(), submitted, "a heartbeat from before the leadership does not bring a member back");

        at(20);
        detector.heard("a", Map.of());
        detector.check();
        assertEquals(List.of(new Command.NodeReturned("a")), submitted);

        threeMembers(true);
        pending.getFirst().complete("applied");
        detector.check();
        assertEquals(1, submitted.size(), "once applied, the member is live and nothing more is sent");
    }

    @Test
    void afterLeadershipEndsNothingIsJudgedAndHeartbeatsAreForgotten() {
        threeMembers(true);
        at(0);
        detector.startLeading();
        detector.heard("a", Map.of("bank", 1L));
        detector.stopLeading();
        at(10 * LEASE.toMillis());
        detector.check();
        assertEquals(List.of(), submitted);

        detector.startLeading();
        at(12 * LEASE.toMillis() + 1);
        detector.check();
        assertEquals(new Command.NodeFailed("a", Map.of("bank", Map.of())), submitted.getFirst(),
                "positions heard under the previous leadership are gone");
    }

    @Test
    void aHeartbeatOfAStrangerIsRefused() {
        threeMembers(true);
        Reply reply = detector.heard("z", Map.of());
        assertTrue(assertInstanceOf(Reply.Refused.class, reply).reason().contains("never joined"));
        assertEquals(new Reply.Ack(5), detector.heard("a", Map.of()));
    }

    @Test
    void aSuspectWhoseAddressRefusesIsReportedFailedAtOnceWithTheReportersPosition() throws InterruptedException {
        threeMembers(true);
        at(0);
        detector.startLeading();
        at(100);
        detector.heard("b", Map.of("bank", 30L));
        detector.heard("c", Map.of("bank", 20L));
        gone.add("a");
        at(200);
        assertEquals(new Reply.Ack(5), detector.suspected("b", Map.of("bank", 70L), "a"));
        assertEquals("a", probes.poll(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (submitted.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(new Command.NodeFailed("a", Map.of("bank", Map.of("b", 70L, "c", 20L)))), submitted,
                "a is reported 200 ms into a 1 s lease, with the position b sent along with its suspicion");
    }

    @Test
    void aSuspectFoundGoneIsNotReportedReturnedForAHeartbeatFromBeforeItsFailure() throws InterruptedException {
        threeMembers(true);
        at(0);
        detector.startLeading();
        at(100);
        detector.heard("a", Map.of());
        gone.add("a");
        detector.suspected("b", Map.of(), "a");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (submitted.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertInstanceOf(Command.NodeFailed.class, submitted.getFirst());
        ClusterState before = state;
        threeMembers(false);
        detector.applied(before, state);
        pending.getFirst().complete("applied");

        at(300);
        detector.check();
        assertEquals(1, submitted.size(), () -> "a's heartbeat at 100 ms is within its lease but older than its"
                + " failure, and must not bring it back: submitted " + submitted);
        assertFalse(detector.heardRecently("a"), "a gone member is not a candidate to lead");

        at(400);
        detector.heard("a", Map.of());
        detector.check();
        assertEquals(new Command.NodeReturned("a"), submitted.getLast(), "a heartbeat after the failure brings it back");
    }

    @Test
    void aHeartbeatHandledOnTheStateFromBeforeTheFailureBringsNothingBack() {
        threeMembers(true);
        at(0);
        detector.startLeading();
        ClusterState before = state;
        threeMembers(false);
        ClusterState after = state;
        state = before;
        at(100);
        detector.applied(before, after);
        detector.heard("a", Map.of());
        state = after;
        at(200);
        detector.check();
        assertEquals(List.of(), submitted, "a's last heartbeat raced its failure and read the state that had it live");
    }

    @Test
    void aSuspectThatAcceptsIsLeftToItsLeaseAndProbedAtMostOncePerInterval() throws InterruptedException {
        threeMembers(true);
        at(0);
        detector.startLeading();
        detector.suspected("b", Map.of(), "a");
        assertEquals("a", probes.poll(10, TimeUnit.SECONDS));
        at(450);
        detector.suspected("c", Map.of(), "a");
        assertNull(probes.poll(300, TimeUnit.MILLISECONDS), "a was probed 450 ms ago");
        at(500);
        detector.suspected("c", Map.of(), "a");
        assertEquals("a", probes.poll(10, TimeUnit.SECONDS));
        detector.check();
        assertEquals(List.of(), submitted, "a accepts connections and is within its lease");
    }

    @Test
    void noSuspicionIsProbedByAReplicaThatDoesNotLeadOrFromAStranger() throws InterruptedException {
        threeMembers(true);
        gone.add("a");
        assertEquals(new Reply.Ack(5), detector.suspected("b", Map.of(), "a"));
        detector.startLeading();
        assertInstanceOf(Reply.Refused.class, detector.suspected("z", Map.of(), "a"));
        assertNull(probes.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(List.of(), submitted);
    }
}
