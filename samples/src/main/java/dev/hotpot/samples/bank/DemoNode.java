package dev.hotpot.samples.bank;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node JVM of the cluster demo, as the demo sees it: its process, its output kept in a log
 * file, and what it reported ({@link ClusterBankNode}'s lines, and the primary role it logged).
 *
 * <p>Threading: a reader thread records the output; the demo's thread reads the results.
 */
final class DemoNode {
    private static final Pattern PRIMARY = Pattern.compile("node (\\S+) is primary of heap \\S+ in epoch (\\d+)");

    final String id;
    private final List<String> command;
    private final Path log;
    private Process process;
    private volatile boolean ready;
    private volatile String runLine;
    private volatile String finalLine;
    /** Epoch in which this node last logged that it became primary, or -1. */
    private volatile long primaryEpoch = -1;
    /** (epoch millis, commits) pairs from PROGRESS lines of the running JVM. */
    private final List<long[]> progress = new ArrayList<>();
    /** Commits reported by the JVMs of this node that were killed. */
    private long committedByEarlier;

    DemoNode(String id, List<String> command, Path log) {
        this.id = id;
        this.command = command;
        this.log = log;
    }

    /**
     * Starts (or restarts) the node's JVM; its output is appended to its log file. Commits reported
     * by an earlier JVM of this node are kept in {@link #committedByEarlierRuns()}.
     */
    void start(List<String> arguments) throws IOException {
        ready = false;
        synchronized (progress) {
            if (!progress.isEmpty()) {
                committedByEarlier += progress.getLast()[1];
            }
            progress.clear();
        }
        List<String> full = new ArrayList<>(command);
        full.addAll(arguments);
        process = new ProcessBuilder(full).redirectErrorStream(true).start();
        Process started = process;
        Thread.ofPlatform().daemon().name("demo-" + id).start(() -> read(started));
    }

    private void read(Process from) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8));
             PrintStream out = new PrintStream(Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("PROGRESS ")) {
                    String[] f = line.split(" ");
                    synchronized (progress) {
                        progress.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                    }
                    continue;
                }
                out.println(line);
                if (line.equals("READY")) {
                    ready = true;
                } else if (line.startsWith("RUN ")) {
                    runLine = line;
                } else if (line.startsWith("FINAL ")) {
                    finalLine = line;
                }
                Matcher primary = PRIMARY.matcher(line);
                if (primary.find() && primary.group(1).equals(id)) {
                    primaryEpoch = Long.parseLong(primary.group(2));
                }
            }
        } catch (IOException e) {
            // The process ended; what it printed is kept.
        }
    }

    boolean isReady() {
        return ready;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long committedByEarlierRuns() {
        synchronized (progress) {
            return committedByEarlier;
        }
    }

    String runLine() {
        return runLine;
    }

    String finalLine() {
        return finalLine;
    }

    long primaryEpoch() {
        return primaryEpoch;
    }

    /** Commits this node reported by {@code millis} (epoch time), from its progress lines. */
    long committedAt(long millis) {
        long count = 0;
        synchronized (progress) {
            for (long[] sample : progress) {
                if (sample[0] <= millis) {
                    count = sample[1];
                }
            }
        }
        return count;
    }

    /**
     * The longest time, from {@code since} (epoch millis) on, between two progress reports with more
     * commits: how long this node's commits paused.
     */
    long longestPauseAfter(long since) {
        long lastIncrease = since;
        long lastCount = committedAt(since);
        long longest = 0;
        synchronized (progress) {
            for (long[] sample : progress) {
                if (sample[0] > since && sample[1] > lastCount) {
                    longest = Math.max(longest, sample[0] - lastIncrease);
                    lastIncrease = sample[0];
                    lastCount = sample[1];
                }
            }
        }
        return longest;
    }

    /**
     * When this node first reported more commits than in its first report at or after
     * {@code since}, or -1. A commit that ended before {@code since} but was reported after it does
     * not count; the price is up to one report interval.
     */
    long firstCommitAfter(long since) {
        long baseline = -1;
        synchronized (progress) {
            for (long[] sample : progress) {
                if (sample[0] < since) {
                    continue;
                }
                if (baseline < 0) {
                    baseline = sample[1];
                } else if (sample[1] > baseline) {
                    return sample[0];
                }
            }
        }
        return -1;
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits up to {@code seconds} for the JVM to end, then kills it; returns its exit status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    Path log() {
        return log;
    }
}
