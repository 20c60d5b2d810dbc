package dev.hotpot.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bank on a 3-node cluster of real JVMs: every node makes transfers; nodes are killed with
 * SIGKILL (the primary twice as often as each other node) and restarted; at the end every node
 * has the same pages, every acknowledged transfer is there exactly once and the total never
 * changed ({@link BankCheck}).
 */
class ClusterBankTest {
    private static final int ACCOUNTS = 64;
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void threeNodesShareOneBank() throws Exception {
        try (LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(ACCOUNTS, 2), List.of())) {
            for (String id : cluster.ids()) {
                cluster.start(id);
            }
            for (String id : cluster.ids()) {
                cluster.awaitReady(id, START);
            }
            awaitTransfers(cluster, 200);
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(60)));
            BankCheck.Summary summary = BankCheck.check(states, witnesses(cluster), ACCOUNTS);
            System.out.println("3 nodes, no faults: " + summary);
            assertTrue(summary.acknowledged() >= 200, "too few transfers: " + summary);
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void acknowledgedTransfersSurviveKilledNodes() throws Exception {
        int faults = Integer.getInteger("hotpot.cluster.faults", 20);
        long seed = Long.getLong("hotpot.cluster.seed", System.nanoTime());
        System.out.println("cluster kill test: faults=" + faults + " seed=" + seed + " (rerun with -Dhotpot.cluster.seed="
                + seed + ")");
        Random random = new Random(seed);
        try (LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(ACCOUNTS, 2), List.of())) {
            for (String id : cluster.ids()) {
                cluster.start(id);
            }
            for (String id : cluster.ids()) {
                cluster.awaitReady(id, START);
            }
            int primaryKills = 0;
            for (int fault = 0; fault < faults; fault++) {
                awaitTransfers(cluster, 50 * (fault + 1));
                String primary = cluster.primaryByLog();
                String victim = pickVictim(cluster.ids(), primary, random);
                if (victim.equals(primary)) {
                    primaryKills++;
                }
                System.out.println("fault " + fault + ": kill -9 " + victim + (victim.equals(primary) ? " (primary)" : ""));
                cluster.kill(victim);
                cluster.restartDead(null);
            }
            cluster.restartDead(null);
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(90)));
            BankCheck.Summary summary = BankCheck.check(states, witnesses(cluster), ACCOUNTS);
            System.out.println("cluster kill test: " + faults + " kills (" + primaryKills + " of the primary): " + summary);
        }
    }

    private static String pickVictim(List<String> ids, String primary, Random random) {
        if (primary != null && random.nextInt(ids.size() + 1) < 2) {
            return primary;
        }
        List<String> others = ids.stream().filter(id -> !id.equals(primary)).toList();
        return others.get(random.nextInt(others.size()));
    }

    /** Waits until the witness files hold at least {@code count} acknowledged transfers in all. */
    private static void awaitTransfers(LocalCluster cluster, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            long acked = 0;
            for (Path witness : witnesses(cluster)) {
                if (Files.exists(witness)) {
                    try (var lines = Files.lines(witness)) {
                        acked += lines.filter(l -> l.startsWith("ack ")).count();
                    }
                }
            }
            if (acked >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked + " acknowledged transfers within 120 s, wanted " + count);
            }
            Thread.sleep(20);
        }
    }

    private static List<Path> witnesses(LocalCluster cluster) {
        return cluster.ids().stream().map(cluster::witness).toList();
    }
}
