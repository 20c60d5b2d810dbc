package dev.hotpot.coordinator;

import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real Ratis replicas in this JVM: one state everywhere, a lost leader, a full restart, refusals,
 * and a suspected member failed at once when its address refuses connections.
 */
class CoordinatorClusterTest {
    private static final Duration READY = Duration.ofSeconds(30);
    /** Long enough that no member is judged failed here: these members never heartbeat. */
    private static final CoordinatorSettings SETTINGS = CoordinatorSettings.defaults()
            .withLease(Duration.ofMinutes(10)).withSnapshotInterval(4);

    @TempDir
    Path dir;

    @Test
    void replicasServeOneStateSurviveTheLeaderAndRestartFromTheirStorage() throws IOException {
        try (TestCluster cluster = TestCluster.of(3, dir, SETTINGS).startAll()) {
            CoordinatorClient client = cluster.client();
            client.awaitReady(READY);
            for (Peer peer : cluster.peers) {
                client.join(Member.joining(peer.id(), peer.host(), peer.port(), true));
            }
            ClusterState joined = client.join(Member.joining("app", "127.0.0.1", 9001, false));
            assertEquals(4, joined.members().size());
            assertEquals(List.of(1, 2, 3, 4), joined.members().values().stream().map(Member::index).sorted().toList());
            assertNotNull(joined.clusterId());

            HeapAssignment bank = client.createHeapIfAbsent("bank", 1 << 20, 2, "n1");
            bank = client.addBackup("bank", bank.epoch(), "app");
            assertEquals(new HeapAssignment("bank", 1 << 20, 2, 2, "n1", List.of("app"), null), bank);

            ClusterState before = client.state();
            for (Peer peer : cluster.peers) {
                assertEquals(before, client.state(peer.id()), "peer " + peer.id() + " serves the same state");
            }

            CoordinatorServer leader = cluster.awaitLeader(READY);
            cluster.stop(leader.id());
            HeapAssignment other = client.createHeapIfAbsent("other", 4096, 1, "app");
            assertEquals("app", other.primary());
            ClusterState afterLoss = client.state();
            assertEquals(before.version() + 1, afterLoss.version());
            assertEquals(before.clusterId(), afterLoss.clusterId());
            for (Peer peer : cluster.peers) {
                if (!peer.id().equals(leader.id())) {
                    assertEquals(afterLoss, client.state(peer.id()), "remaining peer " + peer.id());
                }
            }

            cluster.start(leader.id());
            assertEquals(afterLoss, client.state(leader.id()), "the old leader catches up when it returns");

            cluster.stopAll();
            cluster.startAll();
            client.awaitReady(READY);
            ClusterState restarted = client.state();
            assertEquals(afterLoss, restarted, "same cluster id, members, heaps and epochs after a full restart");
            for (Peer peer : cluster.peers) {
                assertEquals(restarted, cluster.server(peer.id()).appliedState());
                assertTrue(hasSnapshot(cluster.storage(peer.id())), "peer " + peer.id() + " took a snapshot");
            }
        }
    }

    @Test
    void aReplicaThatMissedThePurgedLogGetsTheLeadersSnapshot() throws IOException {
        try (TestCluster cluster = TestCluster.of(3, dir, SETTINGS).startAll()) {
            CoordinatorClient client = cluster.client();
            client.awaitReady(READY);
            client.join(Member.joining("a", "127.0.0.1", 9001, false));
            client.join(Member.joining("b", "127.0.0.1", 9002, false));
            HeapAssignment heap = client.createHeapIfAbsent("bank", 4096, 2, "a");
            String leader = cluster.awaitLeader(READY).id();
            String lagging = cluster.peers.stream().map(Peer::id).filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            cluster.stop(lagging);

            int writes = 200;
            long start = System.nanoTime();
            for (int i = 0; i < writes / 2; i++) {
                heap = client.addBackup("bank", heap.epoch(), "b");
                heap = client.removeBackup("bank", heap.epoch(), "b");
            }
            long micros = (System.nanoTime() - start) / 1000 / writes;
            System.out.println("CoordinatorClusterTest: " + writes + " commands on 2 of 3 in-process replicas, "
                    + micros + " us each");
            ClusterState expected = client.state();
            assertEquals(writes + 1, heap.epoch());
            assertFalse(hasLogFrom(cluster.storage(leader), 0), "the leader purged the log up to a snapshot");

            cluster.start(lagging);
            assertEquals(expected, client.state(lagging), "the returning replica installed the snapshot");
            assertEquals(expected, cluster.server(lagging).appliedState());
        }
    }

    @Test
    void refusalsReachTheCallerAsExceptionsThatSayWhy() throws IOException {
        try (TestCluster cluster = TestCluster.of(1, dir, SETTINGS).startAll()) {
            CoordinatorClient client = cluster.client();
            client.awaitReady(READY);
            client.join(Member.joining("n1", "127.0.0.1", cluster.peers.getFirst().port(), true));
            client.join(Member.joining("b", "127.0.0.1", 9002, false));
            HeapAssignment bank = client.createHeapIfAbsent("bank", 8192, 2, "n1");
            assertEquals(bank, client.createHeapIfAbsent("bank", 8192, 2, "b"));

            CommandRefusedException size = assertThrows(CommandRefusedException.class,
                    () -> client.createHeapIfAbsent("bank", 4096, 2, "n1"));
            assertTrue(size.getMessage().contains("sizeBytes=8192") && size.getMessage().contains("sizeBytes=4096"),
                    size.getMessage());

            HeapAssignment moved = client.addBackup("bank", bank.epoch(), "b");
            EpochMismatchException stale = assertThrows(EpochMismatchException.class,
                    () -> client.removeBackup("bank", bank.epoch(), "b"));
            assertEquals(moved, stale.current());
            assertEquals(moved.epoch() + 1, client.removeBackup("bank", stale.current().epoch(), "b").epoch());

            assertThrows(CommandRefusedException.class, () -> client.heartbeat("stranger", java.util.Map.of()));
            long version = client.state().version();
            assertEquals(version, client.heartbeat("b", java.util.Map.of("bank", 5L)));

            long start = System.nanoTime();
            ClusterState unchanged = client.awaitChange(version, Duration.ofMillis(300));
            assertEquals(version, unchanged.version());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        }
    }

    @Test
    void aSuspectedMemberWhoseAddressRefusesIsFailedAtOnceWhileOneThatListensStaysLive() throws IOException {
        try (TestCluster cluster = TestCluster.of(1, dir, SETTINGS).startAll();
             ServerSocket listening = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CoordinatorClient client = cluster.client();
            client.awaitReady(READY);
            client.join(Member.joining("n1", "127.0.0.1", cluster.peers.getFirst().port(), true));
            client.join(Member.joining("alive", "127.0.0.1", listening.getLocalPort(), false));
            client.join(Member.joining("gone", "127.0.0.1", FreePorts.pair(), false));

            client.suspect("n1", Map.of(), "alive");
            listening.setSoTimeout((int) READY.toMillis());
            listening.accept().close();
            client.suspect("n1", Map.of(), "gone");
            ClusterState state = client.state();
            long deadline = System.nanoTime() + READY.toNanos();
            while (state.isLive("gone") && System.nanoTime() < deadline) {
                state = client.awaitChange(state.version(), Duration.ofMillis(500));
            }
            assertFalse(state.isLive("gone"), "reported failed long before its lease of " + SETTINGS.lease());
            assertTrue(state.isLive("alive"), "a member that accepts connections is left to its lease");
            assertTrue(state.isLive("n1"));
        }
    }

    @Test
    void awaitReadyNamesThePeersThatAreNotReachable() throws IOException {
        try (TestCluster cluster = TestCluster.of(3, dir, SETTINGS)) {
            cluster.start("n1");
            CoordinatorClient client = cluster.client();
            CoordinatorUnavailableException e = assertThrows(CoordinatorUnavailableException.class,
                    () -> client.awaitReady(Duration.ofSeconds(2)));
            String message = e.getMessage();
            assertTrue(message.contains("not reachable=[" + cluster.peers.get(1) + ", " + cluster.peers.get(2) + "]"),
                    message);
            assertTrue(message.contains("start at least 2 of the 3 peers"), message);
        }
    }

    /** Whether the Ratis log under {@code storage} still has the segment that starts at {@code index}. */
    private static boolean hasLogFrom(Path storage, long index) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("log_(inprogress_)?" + index + "(-\\d+)?"));
        }
    }

    private static boolean hasSnapshot(Path storage) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+"));
        }
    }
}
