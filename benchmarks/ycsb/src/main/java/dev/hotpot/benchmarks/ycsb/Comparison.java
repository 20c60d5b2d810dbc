package dev.hotpot.benchmarks.ycsb;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Consumer;

/**
 * Runs YCSB's core workloads against Hotpot's key-value sample and its peers, and writes
 * {@code results.md}, {@code chart.svg} and every client's raw output under {@code --out}; with
 * {@code --cluster 3}, against a 3-node Hotpot cluster and a 3-member etcd cluster
 * ({@link ClusterCells}), writing {@code results-cluster.md}, {@code chart-cluster.svg} and
 * {@code raw-cluster/}.
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
                + " the default 72 runs take about 17 minutes on 2 cores. With --cluster 3: Hotpot on a 3-node cluster and"
                + " etcd on 3 members, workloads A, B, C and F at 1, 8 and 64 threads, 20 s runs, about 13 minutes.")
public final class Comparison implements Callable<Integer> {
    /** Records of the cluster comparison unless --records says otherwise: every write there is replicated, the load too. */
    static final long CLUSTER_RECORDS = 10_000;
    /** Seconds of a cluster comparison's run unless --seconds says otherwise: the client node's joining is inside them. */
    static final long CLUSTER_SECONDS = 20;
    static final long SINGLE_NODE_MIN_HEAP_MIB = 1024;
    static final long CLUSTER_MIN_HEAP_MIB = 256;

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

    @Option(names = "--cluster", paramLabel = "NODES",
            description = "Compare on clusters of this many nodes (only 3): Hotpot with sync replication to every node"
                    + " against etcd; then the defaults are --workloads a,b,c,f --systems hotpot-cluster,etcd"
                    + " --threads 1,8,64 --records 10000 --seconds 20, one load per system shared by its runs.")
    Integer cluster;

    @Option(names = "--keep-data", description = "Keep each run's data directory instead of deleting it after the run.")
    boolean keepData;

    public static void main(String[] args) {
        // ./hotpot compare passes --project and --agent first; the user's own values win.
        System.exit(new CommandLine(new Comparison()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        if (cluster != null) {
            applyClusterDefaults();
        } else {
            for (String system : systems) {
                if (StoreSystem.byId(system).clustered()) {
                    throw badOption("--systems: " + system + " runs on a cluster only; add --cluster 3");
                }
            }
        }
        List<StoreSystem> selected = systems.stream().map(StoreSystem::byId).toList();
        Path workloadFiles = workloadDir != null ? workloadDir : project.resolve("benchmarks/ycsb/workloads");
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        // Letters in either case: the reports name them in capitals, the workload files in small letters.
        workloads = workloads.stream().map(letter -> letter.toLowerCase(Locale.ROOT)).toList();
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
        Files.createDirectories(dataDir);
        String fileSystem = FileSystemType.describe(dataDir);

        String childClasspath = classpath != null ? classpath : System.getProperty("java.class.path");
        YcsbLauncher launcher = new YcsbLauncher(Path.of(System.getProperty("java.home"), "bin", "java"),
                childClasspath, agentJar, jvmArgs, Duration.ofSeconds(timeoutSeconds));
        String heapSize = hotpotSize != null ? hotpotSize
                : defaultHotpotSize(records, cluster == null ? SINGLE_NODE_MIN_HEAP_MIB : CLUSTER_MIN_HEAP_MIB);
        Setup setup = new Setup(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
                dataDir.toString(), fileSystem, records, seconds, maxOperations, threads, titles,
                cluster == null ? 0 : cluster);
        Path rawDir = outDir.resolve(setup.rawName());
        Files.createDirectories(rawDir);

        System.out.printf("compare: data in %s on %s; results in %s%n", dataDir, fileSystem, outDir.toAbsolutePath());
        if (setup.onRamFileSystem()) {
            System.out.println("compare: WARNING: the data directory is on a RAM file system, where a force costs"
                    + " nothing; pass --data on a disk to measure durability");
        }
        if (needsAgent && !ClassPathScan.contains(childClasspath, StoreSystem.HOTPOT_SYNC.dbClass)) {
            System.out.println("compare: WARNING: no " + StoreSystem.HOTPOT_SYNC.dbClass + " on the client class"
                    + " path; the hotpot-* runs will fail");
        }

        List<RunResult> results = new ArrayList<>();
        Consumer<RunResult> done = result -> {
            results.add(result);
            System.out.println(progressLine(result));
            try {
                writeReports(outDir, setup, results);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the reports into " + outDir + ": " + e.getMessage(), e);
            }
        };
        if (setup.cluster()) {
            ClusterCells cells = new ClusterCells(launcher, setup, dataDir, rawDir, heapSize, keepData);
            for (StoreSystem system : selected) {
                cells.run(system, files, done);
            }
        } else {
            CellRunner cells = new CellRunner(launcher, setup, dataDir, rawDir, heapSize, keepData);
            for (String workload : workloads) {
                for (StoreSystem system : selected) {
                    for (int t : threads) {
                        done.accept(cells.run(workload, files.get(workload), system, t));
                    }
                }
            }
        }
        long failed = results.stream().filter(RunResult::failed).count();
        System.out.printf("compare: %d runs, %d failed; wrote %s and %s%n", results.size(), failed,
                outDir.resolve(setup.reportName()), outDir.resolve(setup.chartName()));
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

    /**
     * Sets the cluster comparison's defaults of the options the command line did not give, and
     * rejects a node count other than 3 and systems that do not run on a cluster.
     */
    private void applyClusterDefaults() {
        if (cluster != 3) {
            throw badOption("--cluster=" + cluster + ": only 3-node clusters are compared");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--workloads")) {
            workloads = List.of("a", "b", "c", "f");
        }
        if (!given.hasMatchedOption("--systems")) {
            systems = List.of(StoreSystem.HOTPOT_CLUSTER.id, StoreSystem.ETCD.id);
        }
        if (!given.hasMatchedOption("--threads")) {
            threads = List.of(1, 8, 64);
        }
        if (!given.hasMatchedOption("--records")) {
            records = CLUSTER_RECORDS;
        }
        if (!given.hasMatchedOption("--seconds")) {
            seconds = CLUSTER_SECONDS;
        }
        for (String system : systems) {
            if (!StoreSystem.byId(system).clustered()) {
                throw badOption("--systems: " + system + " does not run on a cluster; with --cluster choose from "
                        + StoreSystem.HOTPOT_CLUSTER.id + ", " + StoreSystem.ETCD.id);
            }
        }
    }

    private CommandLine.ParameterException badOption(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static void writeReports(Path outDir, Setup setup, List<RunResult> results) throws IOException {
        String report = setup.cluster() ? ClusterReport.render(setup, results) : MarkdownReport.render(setup, results);
        Files.writeString(outDir.resolve(setup.reportName()), report, StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve(setup.chartName()), SvgChart.render(setup, results), StandardCharsets.UTF_8);
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
     * Twice 4 KiB per record, at least {@code minMib} MiB. A timed run's inserts (workloads D and E)
     * depend on its throughput, which is not known in advance, so this leaves room for as many
     * records again; the heap file is sparse, so room never written costs no disk. The single-node
     * comparison takes at least 1 GiB; the cluster comparison {@value #CLUSTER_MIN_HEAP_MIB} MiB, since a
     * node joining a new heap is sent an image of all of it.
     */
    static String defaultHotpotSize(long records, long minMib) {
        long mib = Math.max(minMib, (records * 4096 * 2 + (1 << 20) - 1) >> 20);
        return mib + "m";
    }
}
