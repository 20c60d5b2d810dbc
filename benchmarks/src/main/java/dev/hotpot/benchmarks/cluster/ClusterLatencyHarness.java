package dev.hotpot.benchmarks.cluster;

import dev.hotpot.benchmarks.ScratchDirectory;
import dev.hotpot.coordinator.HeapAssignment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Latency of replicated {@code SYNC} commits on a 3-node cluster of child JVMs ({@link BenchNode}),
 * one thread committing sequentially: for N = 1, 2, 3 copies (a fresh cluster each), with 1, 8 and
 * 64 pages dirty per commit, committed on the primary's node and on another node. Next to it, in
 * the same run: a single-node {@code SYNC} commit, a raw force of a small append, N concurrent raw
 * forces on N files, and a loopback TCP round trip between two JVMs. The raw forces are measured
 * before and after the clusters, and ratios use the mean of the two medians.
 *
 * <p>Targets (reported, not asserted): N = 3, one page, p50 from the primary's node at most 1.3 times
 * the p50 of 3 concurrent raw forces, from another node at most 1.5 times.
 *
 * <p>Options: {@code --commits 2000 --warmup 500 --rounds 1 --out benchmarks/results/cluster-latency.md
 * --logs DIR}, and the node settings of {@link Options}.
 *
 * <p>Threading: single-threaded apart from the baseline threads and the output pumps.
 */
public final class ClusterLatencyHarness {
    private static final int[] PAGES = {1, 8, 64};
    private static final int[] REPLICAS = {1, 2, 3};
    private static final long HEAP_BYTES = 32L << 20;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
    /**
     * One-page commits on each of the two measured nodes of a new cluster before its first case, not
     * measured: enough for the JIT to finish compiling the commit path in every node's JVM (with
     * 2,000, its compiler threads still took 13 % of the machine's CPU samples during the measured
     * cases, and interpreted frames showed up).
     */
    private static final int CLUSTER_WARMUP = 20_000;

    private ClusterLatencyHarness() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(ClusterLatencyHarness.class, args, Set.of("commits", "warmup", "rounds", "out", "logs"));
        int commits = options.integer("commits", 2000);
        int warmup = options.integer("warmup", 500);
        int rounds = options.integer("rounds", 1);
        Path out = options.path("out", "benchmarks/results/cluster-latency.md");
        Path logs = options.path("logs", System.getProperty("java.io.tmpdir") + "/hotpot-cluster-logs/latency-"
                + System.currentTimeMillis());
        Report report = new Report("Cluster commit latency (ClusterLatencyHarness)", options.command());
        report.paragraph("One thread commits sequentially: " + warmup + " warm-up commits, then " + commits
                + " measured (and " + CLUSTER_WARMUP + " one-page commits on each measuring node of a new cluster before"
                + " its first case, and before the first single-node case, so that the JIT has compiled the commit"
                + " path); each commit changes one long on each of `pages` pages (pages 4096 bytes apart). Node"
                + " settings: " + options.nodeSettingsText() + ". Times in µs. A fresh 3-node cluster per N; each node"
                + " holds a full copy, N copies are durable before a commit returns. Raw force: append "
                + Baselines.APPEND_BYTES + " bytes to a file, then `FileChannel.force(false)`. k concurrent forces:"
                + " k threads, one file each, released together; a round ends when the last force returns. Node logs: "
                + logs + ".");
        Path scratch = ScratchDirectory.create("hotpot-cluster-latency-");
        try {
            for (int round = 1; round <= rounds; round++) {
                Path chart = BarChart.besides(out, rounds == 1 ? "" : "-round-" + round);
                runRound(report, round, rounds, scratch.resolve("round-" + round), logs.resolve("round-" + round),
                        options, warmup, commits, chart);
            }
        } finally {
            ScratchDirectory.delete(scratch);
            report.write(out);
        }
    }

    private static void runRound(Report report, int round, int rounds, Path directory, Path logs, Options options,
                                 int warmup, int commits, Path chartFile) {
        try {
            Files.createDirectories(directory);
            Files.createDirectories(logs);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        report.heading(rounds > 1 ? "Round " + round + " of " + rounds : "Results");
        System.out.println("baselines before the clusters ...");
        Map<String, Samples> before = rawForces(directory.resolve("before"), warmup, commits);
        Map<Integer, Samples> single = new LinkedHashMap<>();
        for (int pages : PAGES) {
            // The first case also warms this JVM's commit path up as far as the clusters' nodes are.
            int singleWarmup = pages == PAGES[0] ? Math.max(warmup, CLUSTER_WARMUP) : warmup;
            single.put(pages, Baselines.singleNodeCommit(directory.resolve("single"), pages, singleWarmup, commits));
        }
        Samples tcp = Baselines.tcpRoundTrip(logs.resolve("echo.log"), warmup, commits);

        List<Measured> measured = new ArrayList<>();
        Map<String, Long> p50 = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        for (int replicas : REPLICAS) {
            System.out.println("cluster with N=" + replicas + " ...");
            try (BenchCluster cluster = new BenchCluster(directory.resolve("n" + replicas), logs.resolve("n" + replicas),
                    replicas, HEAP_BYTES, options.nodeSettings(), Duration.ofMinutes(30))) {
                cluster.startAll();
                HeapAssignment assignment = cluster.awaitCopies(Duration.ofSeconds(120), true);
                List<String> nodes = cluster.primaryFirst(assignment);
                // The commit paths of a fresh cluster are cold: warm both nodes up before the first case.
                for (int i = 0; i < 2; i++) {
                    cluster.node(nodes.get(i)).request("latency 1 " + CLUSTER_WARMUP + " 1", COMMAND_TIMEOUT);
                }
                for (int pages : PAGES) {
                    for (int i = 0; i < 2; i++) {
                        String id = nodes.get(i);
                        String from = i == 0 ? "primary's node" : "another node";
                        String command = "latency " + pages + " " + warmup + " " + commits;
                        Map<String, String> answer = cluster.node(id).request(command, COMMAND_TIMEOUT);
                        long median = Long.parseLong(answer.get("p50"));
                        long p99 = Long.parseLong(answer.get("p99"));
                        long max = Long.parseLong(answer.get("max"));
                        int slow = Integer.parseInt(answer.get("slow"));
                        p50.put(key(replicas, pages, i == 0), median);
                        measured.add(new Measured(replicas, pages, from + " (" + id + ")", median, p99, max, slow));
                        System.out.println("  N=" + replicas + " pages=" + pages + " from " + id + ": " + answer);
                    }
                }
                HeapAssignment after = cluster.assignment();
                if (!after.primary().equals(assignment.primary()) || after.inSync().size() != replicas - 1) {
                    cluster.note("N=" + replicas + ": the assignment changed during the measurement: " + assignment
                            + " became " + after);
                }
                events.addAll(cluster.events());
            }
        }
        System.out.println("baselines after the clusters ...");
        Map<String, Samples> after = rawForces(directory.resolve("after"), warmup, commits);

        List<List<String>> baselineRows = new ArrayList<>();
        for (String name : before.keySet()) {
            baselineRows.add(List.of(name, Report.micros(before.get(name).percentile(50)),
                    Report.micros(before.get(name).percentile(99)), Report.micros(after.get(name).percentile(50)),
                    Report.micros(after.get(name).percentile(99))));
        }
        for (int pages : PAGES) {
            Samples s = single.get(pages);
            baselineRows.add(List.of("single-node SYNC commit, " + pages + " page" + (pages == 1 ? "" : "s"),
                    Report.micros(s.percentile(50)), Report.micros(s.percentile(99)), "", ""));
        }
        baselineRows.add(List.of("loopback TCP round trip, 64 bytes, two JVMs", Report.micros(tcp.percentile(50)),
                Report.micros(tcp.percentile(99)), "", ""));
        report.table(List.of("Baseline", "p50 before", "p99 before", "p50 after", "p99 after"), baselineRows);

        List<List<String>> rows = new ArrayList<>();
        for (Measured m : measured) {
            rows.add(List.of(Integer.toString(m.replicas()), Integer.toString(m.pages()), m.from(),
                    Report.micros(m.p50()), Report.micros(m.p99()), Report.millis(m.max()), Integer.toString(m.slow()),
                    Report.ratio((double) m.p50() / single.get(m.pages()).percentile(50)),
                    Report.ratio(m.p50() / meanP50(before, after, forcesName(m.replicas())))));
        }
        report.table(List.of("N", "pages", "committed on", "p50", "p99", "max (ms)",
                "commits ≥ " + Samples.SLOW_MILLIS + " ms", "p50 / single-node p50",
                "p50 / N concurrent forces p50"), rows);

        double threeForces = meanP50(before, after, forcesName(3));
        long singleOne = single.get(1).percentile(50);
        long fromPrimary = p50.get(key(3, 1, true));
        long fromOther = p50.get(key(3, 1, false));
        report.table(List.of("Target (N = 3, 1 page)", "p50", "limit", "ratio to 3 concurrent forces",
                "ratio to single-node commit", "met"), List.of(
                List.of("from the primary's node ≤ 1.3 × 3 concurrent forces", Report.micros(fromPrimary),
                        Report.micros((long) (1.3 * threeForces)), Report.ratio(fromPrimary / threeForces),
                        Report.ratio((double) fromPrimary / singleOne), fromPrimary <= 1.3 * threeForces ? "yes" : "no"),
                List.of("from another node ≤ 1.5 × 3 concurrent forces", Report.micros(fromOther),
                        Report.micros((long) (1.5 * threeForces)), Report.ratio(fromOther / threeForces),
                        Report.ratio((double) fromOther / singleOne), fromOther <= 1.5 * threeForces ? "yes" : "no")));
        report.paragraph(events.isEmpty() ? "No node stopped by itself during this round."
                : "Events: " + String.join("; ", events) + ".");
        chart(p50, threeForces, singleOne).write(chartFile);
        report.paragraph("Chart: [" + chartFile.getFileName() + "](" + chartFile.getFileName() + ").");
    }

    /** p50 by N and page count, from each node, against 3 concurrent forces and a single-node commit. */
    private static BarChart chart(Map<String, Long> p50, double threeForces, long singleOne) {
        BarChart chart = new BarChart("Replicated commit latency, p50", "µs",
                List.of("committed on the primary's node", "committed on another node"));
        for (int replicas : REPLICAS) {
            for (int pages : PAGES) {
                chart.group("N=" + replicas + ", " + pages + (pages == 1 ? " page" : " pages"),
                        p50.get(key(replicas, pages, true)) / 1_000.0, p50.get(key(replicas, pages, false)) / 1_000.0);
            }
        }
        chart.reference("3 concurrent raw forces, p50", threeForces / 1_000.0);
        chart.reference("single-node commit, 1 page, p50", singleOne / 1_000.0);
        return chart;
    }

    /** The raw force and 1..3 concurrent forces, by row name. */
    private static Map<String, Samples> rawForces(Path directory, int warmup, int commits) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Samples> result = new LinkedHashMap<>();
        result.put("raw force (append " + Baselines.APPEND_BYTES + " B, force)", Baselines.rawForce(directory, warmup, commits));
        for (int n : REPLICAS) {
            result.put(forcesName(n), Baselines.concurrentForces(directory, n, warmup, commits));
        }
        return result;
    }

    private static String forcesName(int n) {
        return n + " concurrent raw force" + (n == 1 ? "" : "s") + " (round)";
    }

    private static double meanP50(Map<String, Samples> before, Map<String, Samples> after, String name) {
        return (before.get(name).percentile(50) + after.get(name).percentile(50)) / 2.0;
    }

    /** One cluster measurement, in nanoseconds. */
    private record Measured(int replicas, int pages, String from, long p50, long p99, long max, int slow) {
    }

    private static String key(int replicas, int pages, boolean fromPrimary) {
        return replicas + "/" + pages + "/" + fromPrimary;
    }
}
