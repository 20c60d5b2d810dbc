package dev.hotpot.cluster;

import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A primary whose copy became unusable while the coordinator still names it: it is cut off from
 * every node, and the coordinator's lease outlasts the cut, so the role stays with it. Its own
 * commits reach no backup, and it cannot remove one, so the first one's outcome becomes unknown
 * within the commit timeout and its copy unusable; the cut heals then. It must then hand the role
 * to an in-sync backup and stop itself (exit status 75), not keep a role in which every node's
 * commit fails. The others then commit through the new primary, the old one catches up on
 * restart, and the bank is checked whole ({@link BankCheck}).
 */
class UnusablePrimaryTest {
    private static final int ACCOUNTS = 16;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(3);
    /** A busy 2-core machine may be late to notice the deadline. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    /** Outlasts the cut and the reconnection after it: the coordinator never takes the role away. */
    private static final Duration LEASE = Duration.ofSeconds(90);
    /** The coordinator replicas reconnect to the healed node with gRPC's backoff. */
    private static final Duration HAND_OVER = Duration.ofSeconds(60);
    private static final Pattern LOST_ROLE =
            Pattern.compile("no longer primary \\(epoch (\\d+) made (\\S+) primary\\)");

    @TempDir
    Path root;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aPrimaryWhoseCopyIsUnusableHandsItsRoleOverAndCatchesUp() throws Exception {
        NetworkNamespaces.assumeAvailable();
        try (NetworkNamespaces network = NetworkNamespaces.create(3);
             LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(ACCOUNTS, 2),
                     List.of("-Dhotpot.commitTimeout=" + COMMIT_TIMEOUT.toSeconds() + "s",
                             "-Dhotpot.lease=" + LEASE.toSeconds() + "s"), network)) {
            cluster.startAll(Duration.ofSeconds(90));
            cluster.awaitEachAcknowledged(20);
            String primary = cluster.primaryByLog();
            List<String> others = cluster.ids().stream().filter(id -> !id.equals(primary)).toList();
            int before = cluster.jvm(primary).transcript().length();

            network.isolate(LocalCluster.number(primary));
            // From its first failed commit on, its copy is unusable.
            awaitPrinted(cluster.jvm(primary), before, "FAILED after", COMMIT_TIMEOUT.plus(MARGIN));
            long othersAcks = cluster.acknowledged(others);
            network.heal();

            int status = cluster.jvm(primary).awaitExit(HAND_OVER);
            String after = cluster.jvm(primary).transcript().substring(before);
            String handing = "node " + primary + " hands heap bank over to an in-sync backup: its copy is unusable";
            assertTrue(after.contains(handing), primary + " did not hand the role over:\n" + after);
            Matcher lost = LOST_ROLE.matcher(after);
            assertTrue(lost.find(), primary + " did not stop for the role it handed over:\n" + after);
            assertEquals(ClusteredHeap.EXIT_RESYNC, status, primary + " did not stop to resynchronise");
            String successor = lost.group(2);
            assertTrue(others.contains(successor), "the role went to " + successor + ", not to one of " + others);
            String serving = "node " + successor + " is primary of heap bank in epoch " + lost.group(1);
            awaitPrinted(cluster.jvm(successor), 0, serving, HAND_OVER);

            cluster.awaitAcknowledged(others, othersAcks + 20);
            long endedUnavailable = unavailableLines(cluster, others);
            cluster.restartDead(null);
            long primaryAcks = cluster.acknowledged(List.of(primary));
            cluster.awaitAcknowledged(List.of(primary), primaryAcks + 20);
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(90)));
            System.out.println("unusable-primary test: " + primary + " handed the role to " + successor + " in epoch "
                    + lost.group(1) + "; commits of the others that ended unavailable: " + endedUnavailable
                    + "; " + BankCheck.check(states, cluster.witnesses(), ACCOUNTS));
        }
    }

    /** Waits until {@code jvm} prints {@code text} after the first {@code from} characters of its output. */
    private static void awaitPrinted(ChildJvm jvm, int from, String text, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!jvm.transcript().substring(from).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not printed within " + timeout + ": " + text + "; output:\n"
                        + jvm.transcript().substring(from));
            }
            Thread.sleep(20);
        }
    }

    private static long unavailableLines(LocalCluster cluster, List<String> nodes) throws java.io.IOException {
        long count = 0;
        for (String id : nodes) {
            try (var lines = Files.lines(cluster.witness(id))) {
                count += lines.filter(line -> line.startsWith("unavailable ")).count();
            }
        }
        return count;
    }
}
