package dev.hotpot.benchmarks.cluster;

import dev.hotpot.benchmarks.ScratchDirectory;
import dev.hotpot.coordinator.HeapAssignment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Failover time on a 3-node cluster with N = 3 copies: a committer thread on every node loops
 * small commits and keeps each one's start and end (wall clock); the harness kills the primary's
 * JVM with SIGKILL and takes, on each survivor, the first commit that <em>started</em> once the
 * killed process had exited; the failover time is the earliest end of those minus the kill
 * instant. (Taking the first commit that ends after the kill could count one the old primary
 * acknowledged just before, and so could one that starts between the signal and the process's
 * exit; taking one that starts after the exit costs at most one commit's latency, and the time
 * {@code waitFor} takes to see the exit, so the figures lean slow. Failed commits are counted from
 * the signal.) The killed node is restarted on its folder, and the next kill waits until the heap
 * has N copies again and every coordinator replica serves a caught-up read (see
 * {@link BenchCluster#awaitCoordinatorReplicas}).
 *
 * <p>Targets (reported, not asserted): p50 at most 1 s, max at most 3 s.
 *
 * <p>Options: {@code --kills 20 --out benchmarks/results/cluster-failover.md --logs DIR}, and the
 * node settings of {@link Options} ({@code --lease}, {@code --backup-timeout}).
 *
 * <p>Threading: single-threaded apart from the output pumps.
 */
public final class ClusterFailoverHarness {
    private static final long HEAP_BYTES = 32L << 20;
    private static final int REPLICAS = 3;
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration COPIES_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration TOTAL = Duration.ofMinutes(50);
    /** What FailureDetector logs when its coordinator replica starts to lead. */
    private static final String LEADS = "leads: checking heartbeats";

    private ClusterFailoverHarness() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(ClusterFailoverHarness.class, args, Set.of("kills", "out", "logs"));
        int kills = options.integer("kills", 20);
        Path out = options.path("out", "benchmarks/results/cluster-failover.md");
        Path logs = options.path("logs", System.getProperty("java.io.tmpdir") + "/hotpot-cluster-logs/failover-"
                + System.currentTimeMillis());
        Report report = new Report("Cluster failover (ClusterFailoverHarness)", options.command());
        report.paragraph("N = " + REPLICAS + " copies on 3 nodes; a committer thread on every node commits one long on its"
                + " own page, pausing 1 ms between commits. Each kill: wait until the heap has N copies, kill -9 the"
                + " primary's JVM, then take on each survivor the first commit that started once the killed JVM had exited;"
                + " failover = earliest end of those − kill instant (the signal). \"Coordinator\" = when a poll of the coordinator from the"
                + " harness first showed a new primary (the harness's own coordinator client may take seconds to find"
                + " a new coordinator leader, so this can come after the first commit). \"It led the coordinator\": a survivor's coordinator replica"
                + " logged that it became leader after the kill. The killed node restarts on its own folder. Node settings: "
                + options.nodeSettingsText() + ". Node logs: " + logs + ".");
        long deadline = System.nanoTime() + TOTAL.toNanos();
        Path scratch = ScratchDirectory.create("hotpot-cluster-failover-");
        List<List<String>> rows = new ArrayList<>();
        Samples failovers = new Samples(kills);
        BarChart chart = new BarChart("Failover: kill -9 of the primary to the next acknowledged commit on a survivor",
                "ms", List.of("failover"));
        Samples restored = new Samples(kills);
        Samples replicasLag = new Samples(kills);
        try (BenchCluster cluster = new BenchCluster(scratch, logs, REPLICAS, HEAP_BYTES, options.nodeSettings(),
                Duration.ofMinutes(60))) {
            cluster.startAll();
            long restartedAt = System.nanoTime();
            for (int kill = 1; kill <= kills; kill++) {
                if (System.nanoTime() > deadline) {
                    cluster.note("stopped after " + (kill - 1) + " kills: the harness's time limit of "
                            + TOTAL.toMinutes() + " min passed");
                    break;
                }
                HeapAssignment before = cluster.awaitCopies(COPIES_TIMEOUT, true);
                long healthy = System.nanoTime();
                cluster.awaitCoordinatorReplicas(COPIES_TIMEOUT);
                before = cluster.awaitCopies(COPIES_TIMEOUT, true);
                startCommitters(cluster);
                if (kill > 1) {
                    restored.add(System.nanoTime() - restartedAt);
                    replicasLag.add(System.nanoTime() - healthy);
                }
                String victim = before.primary();
                // Commits flow before the kill: the primary's committer finishes one that started now.
                long flowing = BenchNode.nowMicros();
                cluster.node(victim).request("firstafter " + flowing + " " + flowing + " 10000", Duration.ofSeconds(15));
                List<String> survivors = BenchCluster.IDS.stream().filter(id -> !id.equals(victim)).toList();

                int leadsBefore = leaderLines(cluster, survivors);
                long killedAt = BenchNode.nowMicros();
                cluster.kill(victim);
                long exitedAt = BenchNode.nowMicros();
                Map<String, Long> asked = new LinkedHashMap<>();
                for (String id : survivors) {
                    asked.put(id, cluster.node(id).send("firstafter " + exitedAt + " " + killedAt + " "
                            + FAILOVER_TIMEOUT.toMillis()));
                }
                String newPrimary = null;
                long seenAt = -1;
                boolean orphaned = false;
                boolean noted = false;
                long pollUntil = System.nanoTime() + FAILOVER_TIMEOUT.toNanos();
                while (newPrimary == null && System.nanoTime() < pollUntil) {
                    try {
                        HeapAssignment now = cluster.assignment();
                        if (now.hasPrimary() && (orphaned || !now.primary().equals(victim))) {
                            newPrimary = now.primary() + (orphaned && now.primary().equals(victim) ? " (restarted)" : "");
                            seenAt = BenchNode.nowMicros();
                        } else if (!now.hasPrimary() && !orphaned && victim.equals(now.lastPrimary())) {
                            // No live in-sync backup was left to promote: only the old primary can take the heap
                            // back. Restart it at once, as an operator would, and keep timing.
                            orphaned = true;
                            cluster.note("kill " + kill + ": the coordinator left the heap without a primary (" + now
                                    + ") " + millis(BenchNode.nowMicros() - killedAt) + " ms after the kill; "
                                    + victim + " restarted at once to take it back");
                            cluster.launch(victim);
                        } else if (!now.hasPrimary() && !victim.equals(now.lastPrimary()) && !noted) {
                            // A survivor was promoted, then judged failed too: it takes the heap back once heard again.
                            noted = true;
                            cluster.note("kill " + kill + ": the heap was without a primary for a while (" + now + ") "
                                    + millis(BenchNode.nowMicros() - killedAt) + " ms after the kill");
                        }
                    } catch (RuntimeException e) {
                        // The coordinator may be choosing a leader: ask again.
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                long first = Long.MAX_VALUE;
                List<String> perSurvivor = new ArrayList<>();
                long errors = 0;
                for (String id : survivors) {
                    try {
                        Map<String, String> answer = cluster.node(id).awaitAnswer(asked.get(id), "firstafter",
                                FAILOVER_TIMEOUT.plusSeconds(10));
                        long end = Long.parseLong(answer.get("end"));
                        errors += Long.parseLong(answer.get("errors"));
                        first = Math.min(first, end);
                        perSurvivor.add(id + " " + millis(end - killedAt));
                    } catch (RuntimeException e) {
                        perSurvivor.add(id + " none");
                        cluster.note("kill " + kill + ": no commit on " + id + " after the kill: " + e.getMessage());
                    }
                }
                String failover = "none within " + FAILOVER_TIMEOUT.toSeconds() + " s";
                if (first != Long.MAX_VALUE) {
                    failovers.add(TimeUnit.MICROSECONDS.toNanos(first - killedAt));
                    failover = millis(first - killedAt);
                }
                chart.group("kill " + kill + (orphaned ? " *" : ""),
                        first == Long.MAX_VALUE ? Double.NaN : (first - killedAt) / 1_000.0);
                boolean leaderMoved = leaderLines(cluster, survivors) > leadsBefore;
                rows.add(List.of(Integer.toString(kill) + (orphaned ? " *" : ""), victim, leaderMoved ? "yes" : "no",
                        newPrimary == null ? "none" : newPrimary,
                        seenAt < 0 ? "-" : millis(seenAt - killedAt), String.join(", ", perSurvivor), failover,
                        Long.toString(errors)));
                System.out.println("  kill " + kill + ": " + rows.getLast());
                cluster.reviveStopped();
                restartedAt = System.nanoTime();
                if (orphaned) {
                    cluster.awaitReady(victim);
                } else {
                    cluster.start(victim);
                }
            }
            report.table(List.of("kill", "killed primary", "it led the coordinator", "new primary", "coordinator (ms)",
                    "first commit after kill per survivor (ms)", "failover (ms)", "failed commits on survivors"), rows);
            long p50 = failovers.percentile(50);
            long max = failovers.max();
            report.paragraph("Kills marked * left the heap without a primary: the harness restarted the killed node at"
                    + " once (it is the only one that may take the heap back), and the time is to the first commit after"
                    + " that. They are included in the figures below.");
            report.table(List.of("failovers", "p50 (ms)", "max (ms)", "p50 ≤ 1000 ms", "max ≤ 3000 ms"), List.of(List.of(
                    Integer.toString(failovers.count()), Report.millis(p50), Report.millis(max),
                    p50 <= TimeUnit.SECONDS.toNanos(1) ? "yes" : "no", max <= TimeUnit.SECONDS.toNanos(3) ? "yes" : "no")));
            report.paragraph("Before each kill the harness waited for N copies and for every"
                    + " coordinator replica to serve a caught-up read: from the restart of the killed node, p50 "
                    + Report.millis(restored.percentile(50)) + " ms, max " + Report.millis(restored.max())
                    + " ms; of which waiting for the coordinator replicas after N copies were back: p50 "
                    + Report.millis(replicasLag.percentile(50)) + " ms, max " + Report.millis(replicasLag.max()) + " ms.");
            chart.reference("target p50", 1_000);
            chart.reference("target max", 3_000);
            chart.reference("p50", p50 / 1e6);
            Path chartFile = BarChart.besides(out, "");
            chart.write(chartFile);
            List<String> events = cluster.events();
            report.paragraph(events.isEmpty() ? "No node stopped by itself." : "Events: " + String.join("; ", events) + ".");
            report.paragraph("Chart: [" + chartFile.getFileName() + "](" + chartFile.getFileName() + ").");
        } finally {
            ScratchDirectory.delete(scratch);
            report.write(out);
        }
    }

    /** Starts the committer on every node (a node that runs one already keeps it). */
    private static void startCommitters(BenchCluster cluster) {
        for (String id : BenchCluster.IDS) {
            cluster.node(id).request("committer", Duration.ofSeconds(30));
        }
    }

    /**
     * How many times the survivors' logs say their coordinator replica became leader: if that grows
     * across a kill, the killed node hosted the coordinator's leader too.
     */
    private static int leaderLines(BenchCluster cluster, List<String> survivors) {
        int count = 0;
        for (String id : survivors) {
            try {
                String log = java.nio.file.Files.readString(cluster.node(id).log());
                for (int i = log.indexOf(LEADS); i >= 0; i = log.indexOf(LEADS, i + 1)) {
                    count++;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // A log that cannot be read counts nothing.
            }
        }
        return count;
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.0f", micros / 1_000.0);
    }
}
