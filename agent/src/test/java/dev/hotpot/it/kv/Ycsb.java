package dev.hotpot.it.kv;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the unmodified {@code site.ycsb.Client} in a child JVM with the agent, as the comparison
 * does: the class path holds only the samples, YCSB and its libraries (and these tests' classes,
 * for the recording clients).
 */
final class Ycsb {
    private static final Pattern RETURN = Pattern.compile("^\\[([A-Z-]+)], Return=([A-Z_]+), (\\d+)$");

    private Ycsb() {
    }

    /** The workload file of letter {@code w} (a to f). */
    static Path workload(char w) {
        return Path.of(System.getProperty("hotpot.ycsb.workloads", "../benchmarks/ycsb/workloads")).resolve("workload" + w);
    }

    /** Starts {@code Client -load} or {@code -t} with the given client class and {@code -p} properties. */
    static ChildJvm start(boolean load, String client, Path workload, int threads, Map<String, String> properties) throws IOException {
        List<String> args = new ArrayList<>(List.of(load ? "-load" : "-t", "-db", client, "-P", workload.toString(),
                "-threads", Integer.toString(threads)));
        properties.forEach((name, value) -> args.addAll(List.of("-p", name + "=" + value)));
        return AgentJvm.start("", classPath(), "site.ycsb.Client", args.toArray(String[]::new));
    }

    /** The counts of every {@code [OPERATION], Return=STATUS, n} line, keyed "OPERATION STATUS". */
    static Map<String, Long> returns(String output) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : output.split("\\R")) {
            Matcher matcher = RETURN.matcher(line.trim());
            if (matcher.matches()) {
                counts.merge(matcher.group(1) + " " + matcher.group(2), Long.parseLong(matcher.group(3)), Long::sum);
            }
        }
        return counts;
    }

    /** The number YCSB reports in its {@code [OPERATION], Operations, n} line, 0 without one. */
    static long operations(String output, String operation) {
        Matcher matcher = Pattern.compile("^\\[" + Pattern.quote(operation) + "], Operations, (\\d+)$", Pattern.MULTILINE)
                .matcher(output);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    /** The samples, YCSB and its libraries, and these tests' classes. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(System.getProperty("hotpot.test.classes"));
        entries.addAll(AgentJvm.classPathEntries(path -> path.contains("hotpot-samples") || path.endsWith("samples/target/classes")
                || path.contains("/site/ycsb/") || path.contains("/org/hdrhistogram/") || path.contains("/org/codehaus/jackson/")
                || path.contains("/org/apache/htrace/")));
        return String.join(File.pathSeparator, entries);
    }
}
