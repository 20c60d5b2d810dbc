package dev.hotpot.benchmarks.ycsb;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Runs YCSB's core workloads against Hotpot's key-value sample and its peers, and writes
 * {@code results.md}, {@code chart.svg} and every client's raw output under {@code --out}.
 *
 * <p>For each workload, system and thread count, in a fresh data directory: a load JVM
 * ({@code site.ycsb.Client -load}, not measured, writes not forced), then a run JVM
 * ({@code -t}, measured, with the system's durability). A child that fails (killed, nonzero exit,
 * an exception, an operation that did not return OK, fewer operations than asked) is reported with
 * its error text and the comparison goes on; the exit code is then 1.
 *
 * <p>Threading: runs one child JVM at a time, from the main thread.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs YCSB workloads against Hotpot and peer stores, each phase in its own JVM, and writes"
                + " results.md, chart.svg and raw/ into --out.")
public final class Comparison implements Callable<Integer> {

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

    @Option(names = "--operations", paramLabel = "N", defaultValue = "20000",
            description = "Operations per run of a durable system (default: ${DEFAULT-VALUE}).")
    long durableOperations;

    @Option(names = "--volatile-operations", paramLabel = "N", defaultValue = "200000",
            description = "Operations per run of hotpot-none and memory (default: ${DEFAULT-VALUE}).")
    long volatileOperations;

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
            description = "Size of a new Hotpot heap, e.g. 1g (default: 4 KiB per record and per tenth operation, at least 256m).")
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
        List<StoreSystem> selected = systems.stream().map(StoreSystem::byId).toList();
        Path workloadFiles = workloadDir != null ? workloadDir : project.resolve("benchmarks/ycsb/workloads");
        Map<String, String> titles = new LinkedHashMap<>();
        for (String workload : workloads) {
            titles.put(workload, title(workloadFile(workloadFiles, workload)));
        }
        Path outDir = out != null ? out : project.resolve("benchmarks/ycsb/results");
        Path dataDir = (data != null ? data : Path.of(System.getProperty("java.io.tmpdir"), "hotpot-ycsb")).toAbsolutePath();
        Path agentJar = agent != null ? agent : project.resolve("agent/target/hotpot.jar");
        if (selected.stream().anyMatch(s -> s.needsAgent) && !Files.isRegularFile(agentJar)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "no Hotpot agent at " + agentJar + "; build it (./hotpot compare does) or pass --agent");
        }
        Files.createDirectories(outDir.resolve("raw"));
        Files.createDirectories(dataDir);
        String fileSystem = fileSystem(dataDir);

        String childClasspath = classpath != null ? classpath : System.getProperty("java.class.path");
        YcsbLauncher launcher = new YcsbLauncher(Path.of(System.getProperty("java.home"), "bin", "java"),
                childClasspath, agentJar, jvmArgs, Duration.ofSeconds(timeoutSeconds));
        String heapSize = hotpotSize != null ? hotpotSize : defaultHotpotSize(records, Math.max(durableOperations, volatileOperations));
        Setup setup = new Setup(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
                dataDir.toString(), fileSystem, records, durableOperations, volatileOperations, threads, titles);

        System.out.printf("compare: data in %s on %s; results in %s%n", dataDir, fileSystem, outDir.toAbsolutePath());
        if (setup.onRamFileSystem()) {
            System.out.println("compare: WARNING: the data directory is on a RAM file system, where a force costs"
                    + " nothing; pass --data on a disk to measure durability");
        }
        if (selected.stream().anyMatch(s -> s.needsAgent) && !hasHotpotBinding(childClasspath)) {
            System.out.println("compare: WARNING: no dev/hotpot/samples/kv/ycsb/HotpotKvClient.class on the client class"
                    + " path; the hotpot-* runs will fail");
        }

        List<RunResult> results = new ArrayList<>();
        for (String workload : workloads) {
            Path workloadFile = workloadFile(workloadFiles, workload);
            for (StoreSystem system : selected) {
                for (int t : threads) {
                    RunResult result = runOne(launcher, setup, system, workload, workloadFile, t, dataDir, outDir, heapSize);
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

    private RunResult runOne(YcsbLauncher launcher, Setup setup, StoreSystem system, String workload, Path workloadFile,
                             int threadCount, Path dataDir, Path outDir, String heapSize)
            throws IOException, InterruptedException {
        String name = workload + "-" + system.id + "-" + threadCount + "t";
        Path runDir = dataDir.resolve(name);
        deleteRecursively(runDir);
        Files.createDirectories(runDir);
        long operations = setup.operations(system);
        try {
            PhaseResult load = null;
            if (!system.loadsInRunPhase()) {
                // The load is not measured: as many threads as cores, writes not forced.
                load = launcher.run(system, true, workloadFile, Math.max(1, setup.cores()), records, operations,
                        system.properties(runDir, true, heapSize), runDir, outDir.resolve("raw").resolve(name + "-load.txt"));
                if (load.failed()) {
                    return new RunResult(workload, system, threadCount, records, operations, load, null);
                }
            }
            PhaseResult run = launcher.run(system, false, workloadFile, threadCount, records, operations,
                    system.properties(runDir, false, heapSize), runDir, outDir.resolve("raw").resolve(name + "-run.txt"));
            return new RunResult(workload, system, threadCount, records, operations, load, run);
        } finally {
            if (!keepData) {
                deleteRecursively(runDir);
            }
        }
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

    /** 4 KiB per record and per tenth of the operations (inserts of workloads D and E), at least 256 MiB. */
    static String defaultHotpotSize(long records, long operations) {
        long mib = Math.max(256, ((records + operations / 10) * 4096 + (1 << 20) - 1) >> 20);
        return mib + "m";
    }

    static Path workloadFile(Path dir, String workload) {
        Path file = dir.resolve("workload" + workload);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no workload file " + file + " for workload=" + workload
                    + "; pass --workload-dir or a letter a to f");
        }
        return file;
    }

    /** The description in the workload file's first comment line ("# YCSB core workload a: ..."). */
    static String title(Path workloadFile) {
        try (Stream<String> lines = Files.lines(workloadFile)) {
            return lines.findFirst()
                    .filter(l -> l.startsWith("#"))
                    .map(l -> l.contains(": ") ? l.substring(l.indexOf(": ") + 2) : l.substring(1).strip())
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fileSystem(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store.type() + " (" + store.name() + ")";
    }

    private static boolean hasHotpotBinding(String classpath) {
        String entry = "dev/hotpot/samples/kv/ycsb/HotpotKvClient.class";
        for (String element : classpath.split(File.pathSeparator)) {
            Path path = Path.of(element);
            if (Files.isDirectory(path) && Files.isRegularFile(path.resolve(entry))) {
                return true;
            }
            if (Files.isRegularFile(path) && element.endsWith(".jar")) {
                try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(path.toFile())) {
                    if (jar.getEntry(entry) != null) {
                        return true;
                    }
                } catch (IOException e) {
                    // Not a readable jar: the JVM will skip it as well.
                }
            }
        }
        return false;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
