package dev.hotpot.benchmarks;

import dev.hotpot.heap.Heap;
import dev.hotpot.log.RecoveryReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures recovery after a crash with {@value RecoveryLogWriter#LOG_BYTES} bytes of un-checkpointed
 * redo log: a child JVM ({@link RecoveryLogWriter}) writes the log and halts, then this process
 * times {@link Heap#open}, which replays it. Repeated {@value #RUNS} times, each in a new directory.
 * Target: at most {@value #TARGET_MILLIS} ms per open.
 *
 * <p>The log is still in the page cache when it is replayed, as after a process crash (not a power
 * loss); forcing the replayed pages is measured in full.
 *
 * <p>Threading: single-threaded apart from one reader of the child's output per run.
 */
public final class RecoveryTimeHarness {
    private static final int RUNS = 3;
    private static final long TARGET_MILLIS = 2_000;
    private static final long CHILD_TIMEOUT_SECONDS = RecoveryLogWriter.SELF_DESTRUCT_SECONDS;

    private RecoveryTimeHarness() {
    }

    public static void main(String[] args) throws Exception {
        long worst = 0;
        for (int run = 1; run <= RUNS; run++) {
            Path directory = ScratchDirectory.create("hotpot-recovery-");
            try {
                String ready = writeLogInChild(directory);
                long start = System.nanoTime();
                try (Heap heap = Heap.open(RecoveryLogWriter.config(directory))) {
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    worst = Math.max(worst, millis);
                    RecoveryReport report = heap.recoveryReport();
                    System.out.printf("run %d: child %s; log replayed %d bytes, %d records, %d bytes applied;"
                                    + " open %d ms (replay and force %d ms)%n", run, ready,
                            report.endLsn() - report.fromLsn(), report.records(), report.bytesApplied(), millis,
                            TimeUnit.NANOSECONDS.toMillis(report.nanos()));
                }
            } finally {
                ScratchDirectory.delete(directory);
            }
        }
        System.out.printf("worst open %d ms, target <= %d ms: %s%n", worst, TARGET_MILLIS,
                worst <= TARGET_MILLIS ? "met" : "NOT met");
    }

    /** Runs the writer in a child JVM until it has crashed, and returns its READY line. */
    private static String writeLogInChild(Path directory) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this process"));
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RecoveryLogWriter.class.getName(), directory.toString());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String ready = readyLine(child).get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("writer printed READY but did not halt within "
                        + CHILD_TIMEOUT_SECONDS + " s: pid=" + child.pid());
            }
            if (child.exitValue() != 0) {
                throw new IllegalStateException("writer exited with status=" + child.exitValue() + " after READY");
            }
            return ready.substring(RecoveryLogWriter.READY.length()).trim();
        } catch (TimeoutException e) {
            throw new IllegalStateException("writer did not print READY within " + CHILD_TIMEOUT_SECONDS
                    + " s: pid=" + child.pid() + " directory=" + directory, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("writer failed before READY: directory=" + directory, e.getCause());
        } finally {
            child.destroyForcibly();
        }
    }

    /** Completes with the child's READY line, or exceptionally if its output ends without one. */
    private static CompletableFuture<String> readyLine(Process child) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(RecoveryLogWriter.READY)) {
                        ready.complete(line);
                        return;
                    }
                }
                ready.completeExceptionally(new IllegalStateException("writer output ended without READY"));
            } catch (IOException e) {
                ready.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return ready;
    }
}
