package dev.hotpot.benchmarks.ycsb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code site.ycsb.Client} in a child JVM, one per phase, and collects its output. YCSB's
 * load and run phases must be separate JVMs so that a binding has to persist what it loaded.
 *
 * <p>Every child gets the same {@code java} and class path; Hotpot's children also get the agent.
 * Latencies are measured by YCSB's HdrHistogram with the 50th and 99th percentiles (0.17.0 prints
 * the 95th and 99th by default).
 *
 * @param java      the {@code java} launcher, the harness's own
 * @param classpath the class path of the children: YCSB, the bindings and the Hotpot sample
 * @param agentJar  {@code hotpot.jar}, for systems that need the agent
 * @param jvmArgs   extra JVM options for every child
 * @param timeout   a child still running after this long is killed and reported as such
 */
record YcsbLauncher(Path java, String classpath, Path agentJar, List<String> jvmArgs, Duration timeout) {
    static final String CLIENT = "site.ycsb.Client";
    /** Options of every child JVM: the stores map memory natively, and Hotpot's cluster uses sun.misc.Unsafe. */
    static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    YcsbLauncher {
        jvmArgs = List.copyOf(jvmArgs);
        classpath = absolute(classpath);
    }

    /** This launcher with {@code more} JVM options after its own, for the children of one system. */
    YcsbLauncher withJvmArgs(List<String> more) {
        List<String> all = new ArrayList<>(jvmArgs);
        all.addAll(more);
        return new YcsbLauncher(java, classpath, agentJar, all, timeout);
    }

    /** The class path with every entry absolute, since the children run in their data directories. */
    static String absolute(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry.endsWith("*") ? entry : Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * The command line of one phase. A run gets {@code maxexecutiontime} and its cap as
     * {@code operationcount}; a load inserts {@code recordcount} records and has no time limit.
     */
    List<String> command(StoreSystem system, Path workloadFile, int threads, long records, PhaseResult.Goal goal,
                         Map<String, String> bindingProperties) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmArgs);
        if (system.needsAgent) {
            command.add("-javaagent:" + agentJar.toAbsolutePath());
        }
        command.add("-cp");
        command.add(classpath);
        command.add(CLIENT);
        command.add(goal.isLoad() ? "-load" : "-t");
        command.add("-db");
        command.add(system.dbClass);
        command.add("-P");
        command.add(workloadFile.toAbsolutePath().toString());
        command.add("-threads");
        command.add(String.valueOf(threads));
        command.add("-s");
        property(command, "recordcount", records);
        if (!goal.isLoad()) {
            property(command, "operationcount", goal.operations());
            property(command, "maxexecutiontime", goal.seconds());
        }
        property(command, "measurementtype", "hdrhistogram");
        property(command, "hdrhistogram.percentiles", "50,99");
        bindingProperties.forEach((k, v) -> property(command, k, v));
        return command;
    }

    /**
     * Runs one phase to its end (or the timeout), writing the child's standard output and error to
     * {@code raw}, which keeps the command line as its first line.
     */
    PhaseResult run(StoreSystem system, Path workloadFile, int threads, long records, PhaseResult.Goal goal,
                    Map<String, String> bindingProperties, Path workingDir, Path raw)
            throws IOException, InterruptedException {
        List<String> command = command(system, workloadFile, threads, records, goal, bindingProperties);
        Files.createDirectories(raw.toAbsolutePath().getParent());
        Path childOutput = raw.resolveSibling(raw.getFileName() + ".part");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(childOutput.toFile())
                .start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Not Files.readString: it throws on malformed UTF-8, and a crashing child may print anything.
        String text = new String(Files.readAllBytes(childOutput), StandardCharsets.UTF_8);
        Files.writeString(raw, "# " + String.join(" ", command) + System.lineSeparator() + text, StandardCharsets.UTF_8);
        Files.delete(childOutput);
        return new PhaseResult(finished ? process.exitValue() : -1, !finished, seconds, YcsbOutput.parse(text), goal, raw);
    }

    private static void property(List<String> command, String name, Object value) {
        command.add("-p");
        command.add(name + "=" + value);
    }
}
