package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One member of a peer cluster the harness runs, an etcd member or a Hotpot node without an
 * application: a child process whose standard output and error go to a log file, which is read for
 * the line that says the member is ready.
 *
 * <p>Invariants: after {@link #stop} returns, the process has ended.
 *
 * <p>Threading: used by the harness's thread; {@link #stop} may also run on a shutdown hook.
 */
final class ServerProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code workingDir}, appending everything it prints to {@code log}. */
    static ServerProcess start(String name, List<String> command, Path workingDir, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.createDirectories(workingDir);
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServerProcess(name, process, log);
    }

    /**
     * Waits until the log has a line that matches {@code ready}.
     *
     * @throws IllegalStateException naming the member and its log if it ended first or the timeout passed
     */
    void awaitReady(Pattern ready, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Not Files.readString: a starting process may leave a malformed UTF-8 sequence at the end.
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            if (ready.matcher(text).find()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " before it was ready; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Asks the process to end (SIGTERM) and kills it (SIGKILL) if it still runs after a grace period. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }
}
