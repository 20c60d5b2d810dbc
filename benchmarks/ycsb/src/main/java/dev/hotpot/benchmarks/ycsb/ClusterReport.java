package dev.hotpot.benchmarks.ycsb;

import java.util.List;
import java.util.Locale;

/**
 * Writes {@code results-cluster.md}, the report of {@code compare --cluster 3}: the setting and
 * what is durable where, the systems, a table per workload as in {@link MarkdownReport}, the
 * figures against the targets (Hotpot at least {@value #THROUGHPUT_TARGET}× etcd's throughput on A
 * and F at 8 threads, and an update p50 at 1 thread at most 1/{@value #UPDATE_P50_TARGET} of
 * etcd's), the throughput ratio of every cell, and the failures.
 *
 * <p>Threading: stateless.
 */
final class ClusterReport {
    static final double THROUGHPUT_TARGET = 3;
    static final double UPDATE_P50_TARGET = 5;
    private static final List<String> TARGET_WORKLOADS = List.of("a", "f");
    private static final int TARGET_THREADS = 8;

    private ClusterReport() {
    }

    static String render(Setup setup, List<RunResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# YCSB on ").append(setup.clusterNodes()).append("-node clusters: Hotpot and etcd\n\n");
        MarkdownReport.appendMachine(md, setup);
        md.append("- Clusters: each system runs as ").append(setup.clusterNodes()).append(" nodes on this one machine,"
                + " on 127.0.0.1, sharing its cores and its disk with each other and with the YCSB client JVM; one"
                + " cluster at a time, each started fresh by the harness and stopped after its runs; the data folders of"
                + " every node are under the data directory above. Other builds may have been running on the machine\n");
        md.append("- Hotpot (`hotpot-cluster`): nodes n1 and n2 are `hotpot node` JVMs without an application, n3 is the"
                + " YCSB client JVM itself with the agent, holding its own copy of the heap; all three are coordinator"
                + " peers. n1 and n2 start first, so one of them creates the heap and is its primary; n3 is a backup, and each of its transactions"
                + " commits through that primary. `replicas=3`: a commit returns once the primary has forced its record"
                + " and both backups have acknowledged it forced, so it is on disk on all 3 nodes. Reads are loads from"
                + " n3's own copy\n");
        md.append("- etcd (`etcd`): 3 members with etcd's defaults, each fsyncing its write-ahead log before it"
                + " acknowledges an entry; a write returns once a majority, 2 of the 3 members, have it on disk, so etcd"
                + " waits for one fsync fewer than Hotpot per write. The YCSB client JVM is a fourth process, talking"
                + " gRPC to all 3 members over loopback (jetcd spreads requests over them; a follower forwards writes to"
                + " the leader). etcd's version is in the first lines of `").append(setup.rawName())
                .append("/etcd-e1.log`\n");
        md.append("- Where the client threads run: in one JVM, for both systems; for Hotpot that JVM is node n3 of the"
                + " cluster, for etcd a client process beside the members\n");
        md.append("- Records: ").append(setup.records()).append(" (10 fields × 100 bytes), loaded once per system by a"
                + " load JVM (not measured) with the same durability as the runs: Hotpot's with ")
                .append(ClusterCells.loadThreads(StoreSystem.HOTPOT_CLUSTER)).append(" thread, since with several its"
                + " inserts into the one sorted map, each committed through the primary, conflicted with each other up"
                + " to the retry limit on this busy machine; etcd's with ").append(ClusterCells.loadThreads(StoreSystem.ETCD))
                .append(" threads; the runs of a system then share them, thread count by thread count: every"
                + " workload at 1 thread first, then every workload at the next count, so that no 1-thread run"
                + " follows a heavy run (whose checkpoints and write-back would still load the disk). A, B, C and F"
                + " insert nothing, so each run finds the same records, some with values an earlier run updated\n");
        md.append("- Run phase: ").append(setup.seconds()).append(" s per run (YCSB `maxexecutiontime`), or until ")
                .append(setup.maxOperations()).append(" operations if that comes first; throughput is the operations"
                + " done over YCSB's run time. Client threads: ").append(String.join(", ",
                        setup.threads().stream().map(String::valueOf).toList()))
                .append("; etcd needs many concurrent requests to batch entries into one fsync. YCSB 0.17.0, latencies"
                + " in µs from its HdrHistogram; errors counts the operations that did not return OK\n");
        md.append("- Measured time: YCSB starts the clock before each client thread's `init`, so the run JVM's JIT"
                + " warm-up and connecting are inside the ").append(setup.seconds()).append(" s of every run: for"
                + " Hotpot, n3 rejoining the cluster (starting its coordinator client, subscribing to the primary and"
                + " catching up from its log), for etcd jetcd's connection. n3 rejoins as a backup; until the primary"
                + " counts it in sync again, a commit is durable on the other two nodes only\n\n");

        MarkdownReport.appendSystems(md, results);
        MarkdownReport.appendWorkloads(md, setup, results);
        appendTargets(md, results);
        appendRatios(md, setup, results);
        MarkdownReport.appendFailures(md, setup, results);
        return md.toString();
    }

    private static void appendTargets(StringBuilder md, List<RunResult> results) {
        md.append("## Against the targets\n\n| target | workload | hotpot-cluster | etcd | ratio | met? |\n"
                + "|---|---|---:|---:|---:|---|\n");
        for (String workload : TARGET_WORKLOADS) {
            double ratio = MarkdownReport.throughputRatio(results, workload, TARGET_THREADS, StoreSystem.HOTPOT_CLUSTER,
                    StoreSystem.ETCD);
            md.append("| throughput at ").append(TARGET_THREADS).append(" threads, Hotpot / etcd ≥ ")
                    .append(format(THROUGHPUT_TARGET)).append("× | ").append(workload.toUpperCase(Locale.ROOT)).append(" | ")
                    .append(throughput(results, workload, TARGET_THREADS, StoreSystem.HOTPOT_CLUSTER)).append(" ops/s | ")
                    .append(throughput(results, workload, TARGET_THREADS, StoreSystem.ETCD)).append(" ops/s | ")
                    .append(MarkdownReport.times(ratio)).append(" | ").append(met(ratio, THROUGHPUT_TARGET)).append(" |\n");
        }
        for (String workload : TARGET_WORKLOADS) {
            double hotpot = updateP50(results, workload, 1, StoreSystem.HOTPOT_CLUSTER);
            double etcd = updateP50(results, workload, 1, StoreSystem.ETCD);
            double ratio = etcd / hotpot;
            md.append("| update p50 at 1 thread, etcd / Hotpot ≥ ").append(format(UPDATE_P50_TARGET)).append("× | ")
                    .append(workload.toUpperCase(Locale.ROOT)).append(" | ").append(MarkdownReport.latency(hotpot))
                    .append(" µs | ").append(MarkdownReport.latency(etcd)).append(" µs | ")
                    .append(MarkdownReport.times(ratio)).append(" | ").append(met(ratio, UPDATE_P50_TARGET)).append(" |\n");
        }
        md.append("\nA ratio is Hotpot's advantage: its throughput over etcd's, or etcd's update p50 over Hotpot's;"
                + " n/a means a run is missing or failed.\n\n");
    }

    private static void appendRatios(StringBuilder md, Setup setup, List<RunResult> results) {
        md.append("## Throughput ratios\n\n| workload | threads | hotpot-cluster / etcd | hotpot-cluster / etcd's best"
                + " thread count |\n|---|---:|---:|---:|\n");
        for (String workload : MarkdownReport.workloads(results)) {
            double best = bestThroughput(setup, results, workload, StoreSystem.ETCD);
            for (int t : setup.threads()) {
                RunResult hotpot = MarkdownReport.find(results, workload, t, StoreSystem.HOTPOT_CLUSTER);
                double toBest = hotpot == null || hotpot.failed() ? Double.NaN : hotpot.throughput() / best;
                md.append("| ").append(workload.toUpperCase(Locale.ROOT)).append(" | ").append(t).append(" | ")
                        .append(MarkdownReport.ratio(results, workload, t, StoreSystem.HOTPOT_CLUSTER, StoreSystem.ETCD))
                        .append(" | ").append(MarkdownReport.times(toBest)).append(" |\n");
            }
        }
        md.append("\nThe last column divides by etcd's highest throughput on the workload at any thread count.\n\n");
    }

    /** The highest throughput of {@code system} on {@code workload} over the thread counts, NaN if none succeeded. */
    private static double bestThroughput(Setup setup, List<RunResult> results, String workload, StoreSystem system) {
        double best = Double.NaN;
        for (int t : setup.threads()) {
            RunResult r = MarkdownReport.find(results, workload, t, system);
            if (r != null && !r.failed() && (Double.isNaN(best) || r.throughput() > best)) {
                best = r.throughput();
            }
        }
        return best;
    }

    private static String throughput(List<RunResult> results, String workload, int threads, StoreSystem system) {
        RunResult r = MarkdownReport.find(results, workload, threads, system);
        return MarkdownReport.throughput(r == null || r.failed() ? Double.NaN : r.throughput());
    }

    private static double updateP50(List<RunResult> results, String workload, int threads, StoreSystem system) {
        RunResult r = MarkdownReport.find(results, workload, threads, system);
        YcsbOutput.OperationStats update = r == null || r.failed() ? null : r.operation("UPDATE");
        return update == null || update.count() == 0 ? Double.NaN : update.p50Us();
    }

    private static String met(double ratio, double target) {
        return Double.isNaN(ratio) ? "n/a" : ratio >= target ? "yes" : "no";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
