package dev.hotpot.benchmarks.ycsb;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs YCSB's core workloads against Hotpot's key-value sample and its peers, and writes
 * {@code results.md}, {@code chart.svg} and every client's raw output under {@code --out}.
 *
 * <p>The command line: it resolves the options' defaults, then runs every workload, system and
 * thread count as one {@link CellRunner} cell and rewrites the reports after each. Every run phase
 * lasts {@code --seconds} (YCSB's {@code maxexecutiontime}) unless it reaches the operation cap first.
 * A child that fails (killed, nonzero exit, an exception, an operation that did not return OK, a load
 * that inserted fewer records than asked, a run that stopped well before its time) is reported with
 * its error text and the comparison goes on; the exit code is then 1.
 *
 * <p>Threading: runs one child JVM at a time, from the main thread.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs YCSB workloads against Hotpot and peer stores, each phase in its own JVM, and writes"
                + " results.md, chart.svg and raw/ into --out. Each run is a load JVM and a run JVM of --seconds;"
                + " the default 72 runs take about 17 minutes on 2 cores.")
public final class Comparison implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-w", "--workloads"}, split = ",", paramLabel = "LETTER",
            description = "Workloads to run (default: ${DEFAULT-VALUE}).", defaultValue = "a,b,c,d,e,f")
    List<String> workloads;

    @Option(names = {"-s", "--systems"}, split = ",", paramLabel = "SYSTEM", defaultValue =
            "hotpot-sync,rocksdb-sync,mvstore-sync,sqlite-full,hotpot-none,memory",
            description = "Systems to run (default: ${DEFAULT-VALUE}).")
    List<String> systems;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N", defaultValue = "1,8",
            description = "Client thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--records", paramLabel = "N", defaultValue = "50000", description = "Records loaded per run (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "How long every run phase lasts, YCSB's maxexecutiontime; the run JVM's JIT warm-up and"
                    + " opening the store are inside it, for every system (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--max-operations", paramLabel = "N", defaultValue = "2000000",
            description = "Operation cap of every run phase, YCSB's operationcount: a run that reaches it ends before"
                    + " --seconds. YCSB also sizes workload E's zipfian key space from it (records + 10%% of the cap),"
                    + " so a larger cap flattens E's skew; at most 2147483647 (default: ${DEFAULT-VALUE}).")
    long maxOperations;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where results.md, chart.svg and raw/ go (default: PROJECT/benchmarks/ycsb/results).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the stores' files go, a fresh directory per run; must be on the disk to measure,"
                    + " not a RAM file system (default: java.io.tmpdir/hotpot-ycsb).")
    Path data;

    @Option(names = "--project", paramLabel = "DIR", defaultValue = ".",
            description = "The project root, which the other defaults are relative to (default: the current directory).")
    Path project;

    @Option(names = "--workload-dir", paramLabel = "DIR",
            description = "Directory of the workload files workloada ... workloadf (default: PROJECT/benchmarks/ycsb/workloads).")
    Path workloadDir;

    @Option(names = "--agent", paramLabel = "JAR",
            description = "The Hotpot agent for the hotpot-* systems (default: PROJECT/agent/target/hotpot.jar).")
    Path agent;

    @Option(names = "--classpath", paramLabel = "PATH",
            description = "Class path of the YCSB client JVMs (default: this JVM's class path).")
    String classpath;

    @Option(names = "--hotpot-size", paramLabel = "SIZE",
            description = "Size of a new Hotpot heap, e.g. 2g (default: 8 KiB per record, at least 1g; the file is sparse)."
                    + " Raise it if the inserts of workloads D and E fill the heap in long runs.")
    String hotpotSize;

    @Option(names = "--timeout", defaultValue = "900", paramLabel = "SECONDS",
            description = "A client JVM still running after this long is killed and reported (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--jvm-arg", paramLabel = "OPTION",
            description = "An extra JVM option for every client JVM; repeatable, e.g. --jvm-arg=-Xmx2g.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--keep-data", description = "Keep each run's data directory instead of deleting it after the run.")
    boolean keepData;

    public static void main(String[] args) {
        // ./hotpot compare passes --project and --agent first; the user's own values win.
        System.exit(new CommandLine(new Comparison()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        List<StoreSystem> selected = systems.stream().map(StoreSystem::byId).toList();
        Path workloadFiles = workloadDir != null ? workloadDir : project.resolve("benchmarks/ycsb/workloads");
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        for (String workload : workloads) {
            files.put(workload, WorkloadFiles.file(workloadFiles, workload));
            titles.put(workload, WorkloadFiles.title(files.get(workload)));
        }
        Path outDir = out != null ? out : project.resolve("benchmarks/ycsb/results");
        Path dataDir = (data != null ? data : Path.of(System.getProperty("java.io.tmpdir"), "hotpot-ycsb")).toAbsolutePath();
        Path agentJar = agent != null ? agent : project.resolve("agent/target/hotpot.jar");
        boolean needsAgent = selected.stream().anyMatch(s -> s.needsAgent);
        if (needsAgent && !Files.isRegularFile(agentJar)) {
            throw badOption("no Hotpot agent at " + agentJar + "; build it (./hotpot compare does) or pass --agent");
        }
        Files.createDirectories(outDir.resolve("raw"));
        Files.createDirectories(dataDir);
        String fileSystem = FileSystemType.describe(dataDir);

        String childClasspath = classpath != null ? classpath : System.getProperty("java.class.path");
        YcsbLauncher launcher = new YcsbLauncher(Path.of(System.getProperty("java.home"), "bin", "java"),
                childClasspath, agentJar, jvmArgs, Duration.ofSeconds(timeoutSeconds));
        String heapSize = hotpotSize != null ? hotpotSize : defaultHotpotSize(records);
        Setup setup = new Setup(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
                dataDir.toString(), fileSystem, records, seconds, maxOperations, threads, titles);

        System.out.printf("compare: data in %s on %s; results in %s%n", dataDir, fileSystem, outDir.toAbsolutePath());
        if (setup.onRamFileSystem()) {
            System.out.println("compare: WARNING: the data directory is on a RAM file system, where a force costs"
                    + " nothing; pass --data on a disk to measure durability");
        }
        if (needsAgent && !ClassPathScan.contains(childClasspath, StoreSystem.HOTPOT_SYNC.dbClass)) {
            System.out.println("compare: WARNING: no " + StoreSystem.HOTPOT_SYNC.dbClass + " on the client class"
                    + " path; the hotpot-* runs will fail");
        }

        CellRunner cells = new CellRunner(launcher, setup, dataDir, outDir.resolve("raw"), heapSize, keepData);
        List<RunResult> results = new ArrayList<>();
        for (String workload : workloads) {
            for (StoreSystem system : selected) {
                for (int t : threads) {
                    RunResult result = cells.run(workload, files.get(workload), system, t);
                    results.add(result);
                    System.out.println(progressLine(result));
                    writeReports(outDir, setup, results);
                }
            }
        }
        long failed = results.stream().filter(RunResult::failed).count();
        System.out.printf("compare: %d runs, %d failed; wrote %s and %s%n", results.size(), failed,
                outDir.resolve("results.md"), outDir.resolve("chart.svg"));
        return failed == 0 ? 0 : 1;
    }

    /**
     * Rejects option values no run could succeed with, before any child starts.
     *
     * @throws CommandLine.ParameterException naming the option and its value
     */
    private void checkOptions() {
        if (seconds < 1) {
            throw badOption("--seconds=" + seconds + " must be at least 1");
        }
        // YCSB 0.17.0's Client and CoreWorkload read operationcount with Integer.parseInt.
        if (maxOperations < 1 || maxOperations > Integer.MAX_VALUE) {
            throw badOption("--max-operations=" + maxOperations + " must be between 1 and " + Integer.MAX_VALUE);
        }
        if (timeoutSeconds <= seconds) {
            throw badOption("--timeout=" + timeoutSeconds + " must exceed --seconds=" + seconds
                    + ", or every run is killed; leave a minute for start-up and the store's close");
        }
    }

    private CommandLine.ParameterException badOption(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static void writeReports(Path outDir, Setup setup, List<RunResult> results) throws IOException {
        Files.writeString(outDir.resolve("results.md"), MarkdownReport.render(setup, results), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("chart.svg"), SvgChart.render(setup, results), StandardCharsets.UTF_8);
    }

    static String progressLine(RunResult r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "compare: %s %-12s %2d thread%s:",
                r.workload(), r.system().id, r.threads(), r.threads() == 1 ? " " : "s"));
        if (r.load() != null) {
            line.append(String.format(Locale.ROOT, " load %.1f s,", r.load().seconds()));
        }
        if (r.run() != null) {
            line.append(String.format(Locale.ROOT, " run %.1f s, %s ops/s", r.run().seconds(),
                    MarkdownReport.throughput(r.throughput())));
        }
        if (r.failed()) {
            line.append(" FAILED: ").append(r.failures().getFirst());
        }
        return line.toString();
    }

    /**
     * Twice 4 KiB per record, at least 1 GiB. A timed run's inserts (workloads D and E) depend on its
     * throughput, which is not known in advance, so this leaves room for as many records again; the
     * heap file is sparse, so room never written costs no disk.
     */
    static String defaultHotpotSize(long records) {
        long mib = Math.max(1024, (records * 4096 * 2 + (1 << 20) - 1) >> 20);
        return mib + "m";
    }
}
