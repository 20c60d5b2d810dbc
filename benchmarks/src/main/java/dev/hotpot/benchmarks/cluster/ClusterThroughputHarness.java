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

/**
 * Commits per second on a 3-node cluster with N = 3 copies, one page per commit, with 1, 8 and 32
 * application threads spread over the nodes (round robin, the primary's node first; each thread on
 * its own page), all starting at the same wall-clock instant for the same window. Reports the
 * commits of each node and the redo-log forces of each node in the window (timer
 * {@code hotpot.log.force}), and forces per commit. Then, on one node that is not the primary,
 * 1 and 8 threads commit one page each, first as above and then also allocating a block of
 * {@value #ALLOCATE_BYTES} bytes per commit (and freeing the one allocated before), which shows what
 * concurrent allocation on one node costs in conflicts: the ratio of the two rates and the
 * transactions run again after a conflict (counter {@code hotpot.tx.retry}).
 *
 * <p>Target (reported, not asserted): at least 5,000 commits/s.
 *
 * <p>Options: {@code --seconds 10 --rounds 1 --out benchmarks/results/cluster-throughput.md --logs DIR},
 * and the node settings of {@link Options}.
 *
 * <p>Threading: single-threaded apart from the output pumps.
 */
public final class ClusterThroughputHarness {
    private static final int[] THREADS = {1, 8, 32};
    private static final int[] ONE_NODE_THREADS = {1, 8};
    private static final int ALLOCATE_BYTES = 256;
    private static final long HEAP_BYTES = 32L << 20;
    private static final int REPLICAS = 3;
    private static final long TARGET = 5_000;
    private static final Duration START_DELAY = Duration.ofSeconds(1);

    private ClusterThroughputHarness() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(ClusterThroughputHarness.class, args, Set.of("seconds", "rounds", "out", "logs"));
        int seconds = options.integer("seconds", 10);
        int rounds = options.integer("rounds", 1);
        Path out = options.path("out", "benchmarks/results/cluster-throughput.md");
        Path logs = options.path("logs", System.getProperty("java.io.tmpdir") + "/hotpot-cluster-logs/throughput-"
                + System.currentTimeMillis());
        Report report = new Report("Cluster commit throughput (ClusterThroughputHarness)", options.command());
        report.paragraph("N = " + REPLICAS + " copies on 3 nodes; each commit changes one long on one page; every thread"
                + " has its own page. Threads are spread round robin over the nodes, the primary's node first. Each"
                + " measurement runs " + seconds + " s after a 3 s warm-up at 8 threads; all nodes start and stop at the"
                + " same wall-clock instant. Forces: count of the `hotpot.log.force` timer of each node's heap in the"
                + " window. Node settings: " + options.nodeSettingsText() + ". Node logs: " + logs + ".");
        Path scratch = ScratchDirectory.create("hotpot-cluster-throughput-");
        List<List<String>> summary = new ArrayList<>();
        List<List<String>> perNode = new ArrayList<>();
        List<Double> committedPerSecond = new ArrayList<>();
        try (BenchCluster cluster = new BenchCluster(scratch, logs, REPLICAS, HEAP_BYTES, options.nodeSettings(),
                Duration.ofMinutes(30))) {
            cluster.startAll();
            HeapAssignment assignment = cluster.awaitCopies(Duration.ofSeconds(120), true);
            List<String> nodes = cluster.primaryFirst(assignment);
            report.paragraph("Primary: " + assignment.primary() + "; in-sync backups " + assignment.inSync() + ".");
            run(cluster, nodes, 8, 3, 0);
            for (int round = 1; round <= rounds; round++) {
                for (int threads : THREADS) {
                    HeapAssignment before = cluster.awaitCopies(Duration.ofSeconds(60), true);
                    Map<String, Map<String, String>> answers = run(cluster, nodes, threads, seconds, 0);
                    long commits = 0;
                    long forces = 0;
                    long errors = 0;
                    for (String id : nodes) {
                        Map<String, String> a = answers.get(id);
                        long c = Long.parseLong(a.get("commits"));
                        long f = Long.parseLong(a.get("forces"));
                        commits += c;
                        forces += f;
                        errors += Long.parseLong(a.get("errors"));
                        perNode.add(List.of(Integer.toString(round), Integer.toString(threads),
                                id + (id.equals(before.primary()) ? " (primary)" : ""), a.get("threads"),
                                Long.toString(c), Long.toString(f), perSecond(f, seconds)));
                    }
                    HeapAssignment after = cluster.assignment();
                    String changed = after.epoch() == before.epoch() ? "no"
                            : "yes: epoch " + before.epoch() + " → " + after.epoch() + ", in-sync " + after.inSync();
                    committedPerSecond.add((double) commits / seconds);
                    summary.add(List.of(Integer.toString(round), Integer.toString(threads), perSecond(commits, seconds),
                            Long.toString(errors), Long.toString(forces),
                            String.format(Locale.ROOT, "%.3f", commits == 0 ? 0.0 : (double) forces / commits),
                            commits / seconds >= TARGET ? "yes" : "no", changed));
                    System.out.println("  threads=" + threads + ": " + answers);
                }
            }
            List<List<String>> allocating = allocatingOnOneNode(cluster, nodes.get(1), seconds, rounds);
            BarChart chart = new BarChart("Replicated commits per second, N = " + REPLICAS + ", 3 nodes", "commits/s",
                    rounds == 1 ? List.of("commits/s") : java.util.stream.IntStream.rangeClosed(1, rounds)
                            .mapToObj(r -> "round " + r).toList());
            for (int t = 0; t < THREADS.length; t++) {
                double[] values = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    values[r] = committedPerSecond.get(r * THREADS.length + t);
                }
                chart.group(THREADS[t] + (THREADS[t] == 1 ? " thread" : " threads"), values);
            }
            chart.reference("target", TARGET);
            Path chartFile = BarChart.besides(out, "");
            chart.write(chartFile);
            report.table(List.of("round", "threads", "commits/s", "failed commits", "forces (3 nodes)",
                    "forces per commit (3 nodes)", "≥ 5,000/s", "in-sync set changed"), summary);
            report.table(List.of("round", "threads", "node", "threads on node", "commits", "forces", "forces/s"), perNode);
            report.paragraph("One node that is not the primary (" + nodes.get(1) + "), its threads only: each commit"
                    + " changes one long on the thread's page, and in the second case also allocates a block of "
                    + ALLOCATE_BYTES + " bytes, keeps its address on the page and frees the thread's block of its"
                    + " commit before; after a 2 s warm-up of 8 allocating threads there, in which the node makes its"
                    + " arenas.");
            report.table(List.of("round", "threads on " + nodes.get(1), "commits/s, one page",
                    "commits/s, one page and an allocation", "ratio", "retries after a conflict (one page / with"
                            + " allocation)", "failed commits"), allocating);
            List<String> events = cluster.events();
            report.paragraph(events.isEmpty() ? "No node stopped by itself." : "Events: " + String.join("; ", events) + ".");
            report.paragraph("Chart: [" + chartFile.getFileName() + "](" + chartFile.getFileName() + ").");
        } finally {
            ScratchDirectory.delete(scratch);
            report.write(out);
        }
    }

    /** Rows of the allocation table: for each thread count, a window without and one with an allocation per commit. */
    private static List<List<String>> allocatingOnOneNode(BenchCluster cluster, String node, int seconds, int rounds) {
        List<List<String>> rows = new ArrayList<>();
        // Warm-up: the node's threads make their arenas here, not in a measured window.
        run(cluster, List.of(node), ONE_NODE_THREADS[ONE_NODE_THREADS.length - 1], 2, ALLOCATE_BYTES);
        for (int round = 1; round <= rounds; round++) {
            for (int threads : ONE_NODE_THREADS) {
                cluster.awaitCopies(Duration.ofSeconds(60), true);
                Map<String, String> plain = run(cluster, List.of(node), threads, seconds, 0).get(node);
                Map<String, String> allocating = run(cluster, List.of(node), threads, seconds, ALLOCATE_BYTES)
                        .get(node);
                long plainCommits = Long.parseLong(plain.get("commits"));
                long allocatingCommits = Long.parseLong(allocating.get("commits"));
                rows.add(List.of(Integer.toString(round), Integer.toString(threads), perSecond(plainCommits, seconds),
                        perSecond(allocatingCommits, seconds), String.format(Locale.ROOT, "%.2f",
                                plainCommits == 0 ? 0.0 : (double) allocatingCommits / plainCommits),
                        plain.get("retries") + " / " + allocating.get("retries"),
                        Long.parseLong(plain.get("errors")) + Long.parseLong(allocating.get("errors")) + ""));
                System.out.println("  one node, threads=" + threads + ": " + plain + " / allocating " + allocating);
            }
        }
        return rows;
    }

    /**
     * One window with {@code threads} threads in all, spread over {@code nodes}, each commit also
     * allocating {@code allocate} bytes if not 0; the answers of each node, with a {@code threads} field added.
     */
    private static Map<String, Map<String, String>> run(BenchCluster cluster, List<String> nodes, int threads,
                                                        int seconds, int allocate) {
        long start = System.currentTimeMillis() + START_DELAY.toMillis();
        Map<String, Long> ids = new LinkedHashMap<>();
        Map<String, Integer> share = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            int mine = threads / nodes.size() + (i < threads % nodes.size() ? 1 : 0);
            share.put(nodes.get(i), mine);
            ids.put(nodes.get(i), cluster.node(nodes.get(i)).send("throughput " + mine + " " + start + " " + seconds
                    + " " + allocate));
        }
        Map<String, Map<String, String>> answers = new LinkedHashMap<>();
        Duration timeout = START_DELAY.plusSeconds(seconds + 90);
        for (String id : nodes) {
            Map<String, String> answer = new LinkedHashMap<>(cluster.node(id).awaitAnswer(ids.get(id), "throughput", timeout));
            answer.put("threads", Integer.toString(share.get(id)));
            answers.put(id, answer);
        }
        return answers;
    }

    private static String perSecond(long count, int seconds) {
        return String.format(Locale.ROOT, "%,.0f", (double) count / seconds);
    }
}
