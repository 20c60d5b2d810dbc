package dev.hotpot.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bank on a 3-node cluster of real JVMs: every node makes transfers; a {@link Nemesis} kills
 * nodes with SIGKILL and restarts them, and, where network namespaces can be made, cuts links (the
 * primary is hit twice as often as each other node); at the end every node
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
            cluster.startAll(START);
            cluster.awaitAcknowledged(cluster.ids(), 200);
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(60)));
            BankCheck.Summary summary = BankCheck.check(states, cluster.witnesses(), ACCOUNTS);
            System.out.println("3 nodes, no faults: " + summary);
            assertTrue(summary.acknowledged() >= 200, "too few transfers: " + summary);
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void acknowledgedTransfersSurviveKillsAndCutLinks() throws Exception {
        int faults = Integer.getInteger("hotpot.cluster.faults", 24);
        long seed = Long.getLong("hotpot.cluster.seed", System.nanoTime());
        System.out.println("cluster nemesis test: faults=" + faults + " seed=" + seed + " (rerun with -Dhotpot.cluster.seed="
                + seed + ")");
        Optional<String> noNamespaces = NetworkNamespaces.unavailableReason();
        noNamespaces.ifPresent(reason -> System.out.println("every fault is a kill, no link is cut: " + reason));
        // Journals and heap large enough that every fault meets transfers under way: a pause after
        // each transfer bounds a thread to 250 a second, and a fault takes about 4 s.
        int journal = Math.max(BankNode.JOURNAL_CAPACITY, 1_200 * faults);
        List<String> options = List.of("-Dhotpot.size=" + Math.max(16, 6L * 32 * journal / (1 << 20) * 2) + "m");
        try (NetworkNamespaces network = noNamespaces.isEmpty() ? NetworkNamespaces.create(3) : null;
             LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(ACCOUNTS, 2, journal, 4),
                     options, network)) {
            cluster.startAll(START);
            Nemesis nemesis = new Nemesis(cluster, network, new Random(seed));
            for (int fault = 0; fault < faults; fault++) {
                cluster.awaitAcknowledged(cluster.ids(), 50 * (fault + 1));
                nemesis.strike(fault);
            }
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(90)));
            BankCheck.Summary summary = BankCheck.check(states, cluster.witnesses(), ACCOUNTS);
            System.out.println("cluster nemesis test: " + faults + " faults (" + nemesis.summary() + "): " + summary);
            assertFalse(cluster.anyPrinted(BankNode.JOURNAL_FULL), "a journal filled up, and later faults met less load");
        }
    }
}
