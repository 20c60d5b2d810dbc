package dev.hotpot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The meters of one heap, registered on the user's registry with tag {@code heap=<name>}.
 *
 * <pre>
 * hotpot.tx.commit          counter  transactions that committed (including read-only ones)
 * hotpot.tx.abort           counter  transactions rolled back by an exception from the body
 * hotpot.tx.retry           counter  conflict aborts that re-ran the body
 * hotpot.tx.commit.latency  timer    commit step (validate, log, wait for durability, unlock) of writers
 * hotpot.log.force          timer    forces of the redo log (one per group of commits)
 * hotpot.log.bytes          counter  bytes appended to the redo log
 * hotpot.checkpoint         timer    background checkpoints
 * hotpot.recovery.time      timer    recovery at open
 * </pre>
 *
 * <p>Threading: safe from any thread.
 */
public final class HotpotMetrics {
    private static final int RECENT = 1024;
    private final Counter commits;
    private final Counter aborts;
    private final Counter retries;
    private final Timer commitLatency;
    private final Timer logForce;
    private final Counter logBytes;
    private final Timer checkpoint;
    private final Timer recovery;
    /** The last commit latencies, a ring indexed by {@link #recentCount}. */
    private final AtomicLongArray recentLatencies = new AtomicLongArray(RECENT);
    private final AtomicLong recentCount = new AtomicLong();

    public HotpotMetrics(MeterRegistry registry, String heap) {
        commits = Counter.builder("hotpot.tx.commit").tag("heap", heap)
                .description("transactions committed").register(registry);
        aborts = Counter.builder("hotpot.tx.abort").tag("heap", heap)
                .description("transactions rolled back by an exception").register(registry);
        retries = Counter.builder("hotpot.tx.retry").tag("heap", heap)
                .description("conflict aborts that re-ran the transaction").register(registry);
        commitLatency = Timer.builder("hotpot.tx.commit.latency").tag("heap", heap)
                .description("commit of a writing transaction, including the wait for durability").register(registry);
        logForce = Timer.builder("hotpot.log.force").tag("heap", heap)
                .description("redo log forces").register(registry);
        logBytes = Counter.builder("hotpot.log.bytes").tag("heap", heap).baseUnit("bytes")
                .description("bytes appended to the redo log").register(registry);
        checkpoint = Timer.builder("hotpot.checkpoint").tag("heap", heap)
                .description("background checkpoints").register(registry);
        recovery = Timer.builder("hotpot.recovery.time").tag("heap", heap)
                .description("recovery at open").register(registry);
    }

    public void commit() {
        commits.increment();
    }

    public void commitLatency(long nanos) {
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
        int slot = (int) (recentCount.getAndIncrement() & (RECENT - 1));
        recentLatencies.set(slot, nanos);
    }

    /**
     * The p99 of the last {@value #RECENT} commit latencies, in nanoseconds (0 before any): for
     * the status page. A ring of plain slots, so that recording costs two atomic writes, where
     * Micrometer's percentile histograms cost a third of the commit rate.
     */
    public long recentCommitLatencyP99() {
        int count = (int) Math.min(recentCount.get(), RECENT);
        if (count == 0) {
            return 0;
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = recentLatencies.get(i);
        }
        Arrays.sort(values);
        return values[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)];
    }

    public void abort() {
        aborts.increment();
    }

    public void retry() {
        retries.increment();
    }

    public void logForce(long nanos) {
        logForce.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void logBytes(long bytes) {
        logBytes.increment(bytes);
    }

    public void checkpoint(long nanos) {
        checkpoint.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recovery(long nanos) {
        recovery.record(nanos, TimeUnit.NANOSECONDS);
    }
}
