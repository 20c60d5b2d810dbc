package dev.hotpot.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node cut off from the majority (its namespace's link down), first a backup, then the primary:
 * while cut off it acknowledges nothing and each of its commits fails within the commit timeout
 * with an exception that says why; the backup's read-only transactions go on seeing a consistent
 * copy, the primary's may be refused once a commit's outcome is unknown, never inconsistent; the
 * majority goes on committing. Once healed, the bank is checked whole ({@link BankCheck}).
 */
class CutOffNodeTest {
    private static final int ACCOUNTS = 16;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a failover (lease, promotion) and several commit timeouts. */
    private static final Duration CUT = Duration.ofSeconds(12);
    /** Commits in flight when the link went down may still complete within this. */
    private static final Duration SETTLE = Duration.ofMillis(500);
    /**
     * After a heal, the coordinator replicas reconnect to the one that was cut off with gRPC's
     * backoff, which grows with the length of the cut: a second fault before that is a double fault.
     */
    private static final Duration RECONNECT = Duration.ofSeconds(10);
    /** A busy 2-core machine may be late to notice the deadline. */
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final Pattern FAILED = Pattern.compile("FAILED after (\\d+) ms: (.*)");
    private static final Pattern AUDIT = Pattern.compile("AUDIT (?:(-?\\d+)|failed: (.*))");

    @TempDir
    Path root;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aNodeCutOffFromTheMajorityCannotCommitAndStillReadsItsCopy() throws Exception {
        NetworkNamespaces.assumeAvailable();
        try (NetworkNamespaces network = NetworkNamespaces.create(3);
             LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(ACCOUNTS, 2),
                     List.of("-Dhotpot.commitTimeout=" + COMMIT_TIMEOUT.toSeconds() + "s"), network)) {
            cluster.startAll(Duration.ofSeconds(90));
            cluster.awaitEachAcknowledged(20);
            String primary = cluster.primaryByLog();
            String backup = cluster.ids().stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
            cutOff(cluster, network, backup, false);
            cutOff(cluster, network, cluster.primaryByLog(), true);
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(90)));
            System.out.println("cut-off test: " + BankCheck.check(states, cluster.witnesses(), ACCOUNTS));
        }
    }

    /**
     * Cuts {@code victim} off for {@link #CUT}, checks what it and the others did meanwhile, heals,
     * and waits until the victim commits again (restarted if it stopped itself). A cut-off primary
     * may stop serving reads once a commit's outcome is unknown; every other node reads on.
     */
    private static void cutOff(LocalCluster cluster, NetworkNamespaces network, String victim, boolean wasPrimary)
            throws Exception {
        List<String> others = cluster.ids().stream().filter(id -> !id.equals(victim)).toList();
        int before = cluster.jvm(victim).transcript().length();
        network.isolate(LocalCluster.number(victim));
        Thread.sleep(SETTLE.toMillis());
        long victimAcks = cluster.acknowledged(List.of(victim));
        long othersAcks = cluster.acknowledged(others);
        Thread.sleep(CUT.minus(SETTLE).toMillis());
        String during = cluster.jvm(victim).transcript().substring(before);
        long victimAcksAfter = cluster.acknowledged(List.of(victim));
        long othersAcksAfter = cluster.acknowledged(others);
        network.heal();

        assertEquals(victimAcks, victimAcksAfter, victim + " acknowledged commits while cut off");
        assertTrue(othersAcksAfter > othersAcks, "the majority " + others + " committed nothing while " + victim
                + " was cut off");
        List<Long> failedAfter = new ArrayList<>();
        Matcher failed = FAILED.matcher(during);
        while (failed.find()) {
            failedAfter.add(Long.parseLong(failed.group(1)));
            assertTrue(failed.group(2).contains("commitTimeout"), "the error does not name the timeout: " + failed.group());
        }
        assertFalse(failedAfter.isEmpty(), victim + " reported no failed commit while cut off");
        long slowest = failedAfter.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(slowest <= COMMIT_TIMEOUT.plus(MARGIN).toMillis(), "a commit took " + slowest
                + " ms to fail, commitTimeout is " + COMMIT_TIMEOUT);
        int audits = 0;
        int failedAudits = 0;
        Matcher audit = AUDIT.matcher(during);
        while (audit.find()) {
            if (audit.group(1) == null) {
                failedAudits++;
                assertTrue(wasPrimary && audit.group(2).contains("outcome"), "a read-only transaction on " + victim
                        + " failed: " + audit.group());
            } else {
                audits++;
                assertEquals(BankNode.INITIAL * ACCOUNTS, Long.parseLong(audit.group(1)), "an audit on " + victim
                        + " saw a total that never was");
            }
        }
        assertTrue(wasPrimary || audits >= 10, "only " + audits + " read-only transactions ran on " + victim
                + " while cut off");
        System.out.println("cut-off test: " + victim + " cut off for " + CUT.toMillis() + " ms: " + failedAfter.size()
                + " commits failed, the slowest after " + slowest + " ms; audits: " + audits + " consistent, " + failedAudits
                + " refused; the others acknowledged "
                + (othersAcksAfter - othersAcks));
        cluster.restartDead(null);
        cluster.awaitAcknowledged(List.of(victim), victimAcks + 20);
        Thread.sleep(RECONNECT.toMillis());
    }
}
