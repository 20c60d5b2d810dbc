package dev.hotpot.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntToLongFunction;

/**
 * A crash-test child's record of returned commits: one "t k" line appended (unbuffered) after
 * transaction k of thread t returned. Read back with {@link CrashExpectations#readAcks}. Each line
 * reaches the operating system before the caller goes on, so it survives a kill -9 of the child.
 *
 * <p>Threading: safe from any thread.
 */
public final class AckLog implements AutoCloseable {
    private final FileOutputStream out;

    /** Opens {@code file} for appending, creating it if it does not exist. */
    public AckLog(Path file) throws IOException {
        this.out = new FileOutputStream(file.toFile(), true);
    }

    /** Records that transaction {@code k} of {@code thread} returned. */
    public void acknowledge(int thread, long k) {
        append(thread + " " + k);
    }

    /** Appends {@code line} and a line feed, in UTF-8, in one unbuffered write. */
    public synchronized void append(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The work loop of a crash-test child: starts {@code threads} platform threads; thread t applies
     * k = {@code lastApplied(t)} + 1, + 2, ... (read on that thread) with {@code transaction} and
     * acknowledges each after it returns, until the JVM is killed. Returns only if every thread
     * has ended by an exception.
     */
    public void runWorkers(int threads, IntToLongFunction lastApplied, Transaction transaction) throws InterruptedException {
        runWorkers(threads, lastApplied, Long.MAX_VALUE, transaction);
    }

    /** As {@link #runWorkers(int, IntToLongFunction, Transaction)}, each thread stopping after transaction {@code upTo}. */
    public void runWorkers(int threads, IntToLongFunction lastApplied, long upTo, Transaction transaction)
            throws InterruptedException {
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = Thread.ofPlatform().start(() -> {
                for (long k = lastApplied.applyAsLong(thread) + 1; k <= upTo; k++) {
                    transaction.apply(thread, k);
                    acknowledge(thread, k);
                }
            });
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /** Transaction {@code k} of {@code thread}, committed when {@link #apply} returns. */
    @FunctionalInterface
    public interface Transaction {
        void apply(int thread, long k);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
