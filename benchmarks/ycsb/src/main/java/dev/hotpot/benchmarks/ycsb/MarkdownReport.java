package dev.hotpot.benchmarks.ycsb;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes {@code results.md}: the setting, the systems, a table per workload (throughput, p50 and
 * p99 latency per operation kind, operations that did not return OK), the throughput ratios and
 * every failure with its text.
 *
 * <p>Threading: stateless.
 */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static String render(Setup setup, List<RunResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# YCSB comparison: Hotpot and peer stores\n\n");
        appendMachine(md, setup);
        md.append("- Records: ").append(setup.records()).append(" per run (10 fields × 100 bytes), loaded by a separate"
                + " load JVM into a fresh directory (not measured)\n");
        md.append("- Run phase: ").append(setup.seconds()).append(" s per run for every system (YCSB `maxexecutiontime`),"
                + " or until ").append(setup.maxOperations()).append(" operations (`operationcount`) if that comes first;"
                + " throughput is the operations done over YCSB's run time\n");
        md.append("- Client threads: ").append(join(setup.threads())).append("; YCSB 0.17.0, latencies in µs from its HdrHistogram;"
                + " errors counts the operations that did not return OK (ERROR, NOT_FOUND, ...)\n");
        md.append("- Measured time: YCSB starts the clock before each client thread's `init`, so the run JVM's JIT"
                + " warm-up (for Hotpot, compiling the agent-rewritten code) and opening the store are inside the ")
                .append(setup.seconds()).append(" s of every run, for every system. It stops the clock after the threads'"
                + " `cleanup`, which closes the store, except Hotpot's, which closes at JVM shutdown after the clock stops."
                + " Each load JVM closes its store cleanly (RocksDB flushes its memtables, MVStore commits, SQLite"
                + " checkpoints its WAL, Hotpot checkpoints at shutdown), so no run replays the load's log\n");
        md.append("- `memory` loads its records inside the run JVM before the clock starts, which also warms that JVM's"
                + " JIT; the run JVMs of the other systems start cold\n\n");

        appendSystems(md, results);
        appendWorkloads(md, setup, results);

        md.append("## Throughput ratios\n\n");
        List<Integer> threads = setup.threads();
        if (workloads(results).contains("a")) {
            List<String> headline = new ArrayList<>();
            for (int t : threads) {
                headline.add(ratio(results, "a", t, StoreSystem.HOTPOT_SYNC, StoreSystem.ROCKSDB_SYNC) + " at " + t
                        + (t == 1 ? " thread" : " threads"));
            }
            md.append("Workload A, hotpot-sync / rocksdb-sync: ").append(String.join(", ", headline)).append(".\n\n");
        }
        md.append("| workload | threads | hotpot-sync / rocksdb-sync | hotpot-none / memory |\n|---|---:|---:|---:|\n");
        for (String workload : workloads(results)) {
            for (int t : threads) {
                md.append("| ").append(workload.toUpperCase(Locale.ROOT)).append(" | ").append(t).append(" | ")
                        .append(ratio(results, workload, t, StoreSystem.HOTPOT_SYNC, StoreSystem.ROCKSDB_SYNC)).append(" | ")
                        .append(ratio(results, workload, t, StoreSystem.HOTPOT_NONE, StoreSystem.MEMORY)).append(" |\n");
            }
        }
        md.append("\nA ratio above 1 means Hotpot did more operations per second; n/a means a run is missing or failed.\n\n");

        appendFailures(md, setup, results);
        return md.toString();
    }

    /** The date, the machine, the JDK and the data directory, with a warning if that is in RAM. */
    static void appendMachine(StringBuilder md, Setup setup) {
        md.append("- Date: ").append(setup.date()).append('\n');
        md.append("- Machine: ").append(setup.cores()).append(" cores, ").append(setup.os()).append('\n');
        md.append("- JDK: ").append(setup.jdk()).append(" (the harness and every YCSB client JVM)\n");
        md.append("- Data directory: `").append(setup.dataDir()).append("` on ").append(setup.fileSystem()).append('\n');
        if (setup.onRamFileSystem()) {
            md.append("- **Warning: the data directory is on a RAM file system, where a force costs nothing;"
                    + " the durable figures prove nothing about a disk.**\n");
        }
    }

    /** The systems table: each system's store, when a write is durable, and its concurrency. */
    static void appendSystems(StringBuilder md, List<RunResult> results) {
        md.append("## Systems\n\n| system | store | a write is durable when it returns? | reads and concurrent updates |\n"
                + "|---|---|---|---|\n");
        for (StoreSystem system : systems(results)) {
            md.append("| ").append(system.id).append(" | ").append(system.store).append(" | ")
                    .append(system.durability).append(" | ").append(system.concurrency).append(" |\n");
        }
        md.append('\n');
    }

    /** A table per workload: each run's throughput, p50 and p99 per operation kind, and errors. */
    static void appendWorkloads(StringBuilder md, Setup setup, List<RunResult> results) {
        for (String workload : workloads(results)) {
            List<RunResult> rows = results.stream().filter(r -> r.workload().equals(workload)).toList();
            List<String> kinds = kinds(rows);
            md.append("## Workload ").append(workload.toUpperCase(Locale.ROOT));
            String title = setup.workloadTitles().get(workload);
            if (title != null) {
                md.append(": ").append(title);
            }
            md.append("\n\n| system | threads | throughput (ops/s) |");
            for (String kind : kinds) {
                md.append(' ').append(kind).append(" p50 / p99 (µs) |");
            }
            md.append(" errors |\n|---|---:|---:|");
            md.append("---:|".repeat(kinds.size())).append("---:|\n");
            for (RunResult r : rows) {
                md.append("| ").append(r.system().id).append(" | ").append(r.threads()).append(" | ")
                        .append(throughput(r.throughput())).append(" |");
                for (String kind : kinds) {
                    YcsbOutput.OperationStats stats = r.operation(kind);
                    md.append(' ').append(stats == null || stats.count() == 0 ? "–"
                            : latency(stats.p50Us()) + " / " + latency(stats.p99Us())).append(" |");
                }
                md.append(' ').append(r.run() == null ? "–" : String.valueOf(r.notOk()));
                md.append(r.failed() ? " (failed, see below)" : "").append(" |\n");
            }
            md.append('\n');
        }
    }

    /** Every failed run with its failures, or a line saying there were none; then where the raw output is. */
    static void appendFailures(StringBuilder md, Setup setup, List<RunResult> results) {
        List<RunResult> failed = results.stream().filter(RunResult::failed).toList();
        md.append("## Failures\n\n");
        if (failed.isEmpty()) {
            md.append("None: every load inserted all its records, every run lasted its ").append(setup.seconds())
                    .append(" s (or reached its operation cap), every operation returned OK and no client printed an"
                    + " exception.\n");
        }
        for (RunResult r : failed) {
            md.append("- workload ").append(r.workload()).append(", ").append(r.system().id).append(", ")
                    .append(r.threads()).append(r.threads() == 1 ? " thread" : " threads");
            if (r.run() != null) {
                md.append(" (`").append(setup.rawName()).append('/').append(r.run().raw().getFileName()).append("`)");
            }
            md.append(":\n");
            for (String failure : r.failures()) {
                md.append("  - `").append(failure.replace('`', '\'')).append("`\n");
            }
        }
        md.append("\nRaw YCSB output of every client JVM is in `").append(setup.rawName()).append("/`; the chart is `")
                .append(setup.chartName()).append("`.\n");
    }

    /** The throughput ratio numerator / denominator as text, or n/a if either is missing or failed. */
    static String ratio(List<RunResult> results, String workload, int threads, StoreSystem numerator, StoreSystem denominator) {
        return times(throughputRatio(results, workload, threads, numerator, denominator));
    }

    /** The throughput of numerator over that of denominator, or NaN if either is missing or failed. */
    static double throughputRatio(List<RunResult> results, String workload, int threads, StoreSystem numerator,
                                  StoreSystem denominator) {
        RunResult n = find(results, workload, threads, numerator);
        RunResult d = find(results, workload, threads, denominator);
        if (n == null || d == null || n.failed() || d.failed() || !(d.throughput() > 0)) {
            return Double.NaN;
        }
        return n.throughput() / d.throughput();
    }

    /** A ratio as {@code 1.23×}, or n/a for NaN. */
    static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    static RunResult find(List<RunResult> results, String workload, int threads, StoreSystem system) {
        for (RunResult r : results) {
            if (r.workload().equals(workload) && r.threads() == threads && r.system() == system) {
                return r;
            }
        }
        return null;
    }

    /** The operation kinds any run of these rows reported, in {@link YcsbOutput#OPERATION_ORDER}. */
    static List<String> kinds(List<RunResult> rows) {
        List<String> kinds = new ArrayList<>();
        for (String kind : YcsbOutput.OPERATION_ORDER) {
            for (RunResult r : rows) {
                YcsbOutput.OperationStats stats = r.operation(kind);
                if (stats != null && stats.count() > 0) {
                    kinds.add(kind);
                    break;
                }
            }
        }
        return kinds;
    }

    static List<String> workloads(List<RunResult> results) {
        Set<String> workloads = new LinkedHashSet<>();
        results.forEach(r -> workloads.add(r.workload()));
        return List.copyOf(workloads);
    }

    static List<StoreSystem> systems(List<RunResult> results) {
        Set<StoreSystem> systems = new LinkedHashSet<>();
        results.forEach(r -> systems.add(r.system()));
        return List.copyOf(systems);
    }

    static String throughput(double opsPerSecond) {
        return Double.isNaN(opsPerSecond) ? "–" : String.format(Locale.ROOT, "%,.0f", opsPerSecond);
    }

    static String latency(double us) {
        if (Double.isNaN(us)) {
            return "–";
        }
        return us < 10 && us != Math.rint(us) ? String.format(Locale.ROOT, "%.1f", us) : String.format(Locale.ROOT, "%,.0f", us);
    }

    private static String join(List<Integer> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
