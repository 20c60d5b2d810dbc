package dev.hotpot.coordinator;

import dev.hotpot.HotpotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Members that stop heartbeating lose their heaps to the best backup, and come back when heard again;
 * members that keep heartbeating stay live across a change of leader.
 */
class LeaseTest {
    private static final Duration LEASE = Duration.ofMillis(900);
    /** Room for a check interval, a log write and a busy 2-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final CoordinatorSettings SETTINGS = CoordinatorSettings.defaults().withLease(LEASE);

    @TempDir
    Path dir;

    /** Heartbeats of the members in {@link #beating}, every heartbeat interval, with their positions. */
    private final Map<String, Map<String, Long>> beating = new ConcurrentHashMap<>();
    /** When a heartbeat round last went through for every beating member, in {@link System#nanoTime()}. */
    private final AtomicLong lastFullRound = new AtomicLong(System.nanoTime());
    private final AtomicReference<HotpotException> lastFailure = new AtomicReference<>();

    @Test
    void silentPrimaryIsReplacedByTheBestBackupReturnsWhenHeardAndALeaderChangeFailsNoOne() throws Exception {
        try (TestCluster cluster = TestCluster.of(3, dir, SETTINGS).startAll()) {
            ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();
            try {
                runScenario(cluster, heart);
            } finally {
                heart.shutdownNow();
                assertTrue(heart.awaitTermination(10, TimeUnit.SECONDS), "the heartbeats stop before the cluster");
            }
        }
    }

    private void runScenario(TestCluster cluster, ScheduledExecutorService heart) {
        CoordinatorClient client = cluster.client();
        CoordinatorClient heartbeats = cluster.client();
        client.awaitReady(Duration.ofSeconds(30));
        for (String id : List.of("a", "b", "c")) {
            client.join(Member.joining(id, "127.0.0.1", 9000 + id.charAt(0), false));
        }
        beating.put("a", Map.of("bank", 30L, "solo", 7L));
        beating.put("b", Map.of("bank", 10L));
        beating.put("c", Map.of("bank", 20L));
        long interval = SETTINGS.heartbeatInterval().toMillis();
        heart.scheduleAtFixedRate(() -> beat(heartbeats), 0, interval, TimeUnit.MILLISECONDS);

        HeapAssignment bank = client.createHeapIfAbsent("bank", 4096, 3, "a");
        bank = client.addBackup("bank", bank.epoch(), "b");
        bank = client.addBackup("bank", bank.epoch(), "c");
        client.createHeapIfAbsent("solo", 4096, 1, "a");
        ClusterState before = client.state();

        long silentFrom = System.nanoTime();
        beating.remove("a");
        ClusterState failed = awaitState(client, before.version(), s -> !s.isLive("a"));
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentFrom);
        System.out.println("LeaseTest: a silent member was failed after " + detectedMillis + " ms (lease "
                + LEASE.toMillis() + " ms)");
        assertTrue(detectedMillis <= LEASE.plus(MARGIN).toMillis(), "failed after " + detectedMillis + " ms");
        assertTrue(detectedMillis >= LEASE.toMillis() - SETTINGS.heartbeatInterval().toMillis(),
                "not before its lease ran out: " + detectedMillis + " ms");

        assertEquals(new HeapAssignment("bank", 4096, 3, bank.epoch() + 1, "c", List.of("b"), null),
                failed.heaps().get("bank"), "c reported the highest position");
        HeapAssignment solo = failed.heaps().get("solo");
        assertNull(solo.primary());
        assertEquals("a", solo.lastPrimary());
        assertTrue(failed.isLive("b") && failed.isLive("c"), "members that heartbeat stay live");

        beating.put("a", Map.of("solo", 7L));
        ClusterState returned = awaitState(client, failed.version(), s -> s.isLive("a"));
        assertEquals("a", returned.heaps().get("solo").primary(), "a takes back the heap only it has whole");
        assertEquals("c", returned.heaps().get("bank").primary(), "a missed writes of bank: it stays c's");

        ClusterState beforeChange = client.state();
        cluster.stop(cluster.awaitLeader(Duration.ofSeconds(10)).id());
        long stopped = System.nanoTime();
        ClusterState afterChange = client.awaitChange(beforeChange.version(), LEASE.multipliedBy(4));
        assertEquals(beforeChange, afterChange, "the new leader gave the heartbeating members a full lease");
        // Heartbeats sent during the election may fail; members only need the new leader to hear them again.
        assertTrue(lastFullRound.get() - stopped > 0,
                () -> "no heartbeat round went through after the leader change; last failure: " + lastFailure.get());
    }

    private void beat(CoordinatorClient client) {
        try {
            for (Map.Entry<String, Map<String, Long>> member : beating.entrySet()) {
                client.heartbeat(member.getKey(), member.getValue());
            }
            lastFullRound.set(System.nanoTime());
        } catch (HotpotException e) {
            lastFailure.set(e);
        }
    }

    /** The first state after {@code version} that satisfies {@code condition}, waiting at most 10 s. */
    private static ClusterState awaitState(CoordinatorClient client, long version, Predicate<ClusterState> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ClusterState state = client.awaitChange(version, Duration.ofSeconds(10));
        while (!condition.test(state)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no state after version " + version + " met the condition; last " + state);
            }
            state = client.awaitChange(state.version(), Duration.ofNanos(left));
        }
        return state;
    }
}
