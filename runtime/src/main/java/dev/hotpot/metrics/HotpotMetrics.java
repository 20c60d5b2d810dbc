package dev.hotpot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one heap, registered on the user's registry with tag {@code heap=<name>}.
 *
 * <pre>
 * hotpot.tx.commit          counter  transactions that committed (including read-only ones)
 * hotpot.tx.abort           counter  transactions rolled back by an exception from the body
 * hotpot.tx.retry           counter  conflict aborts that re-ran the body
 * hotpot.tx.commit.latency  timer    commit step (validate, log, wait for durability, unlock) of writers;
 *                                     with p50 and p99 over about the last 10 s
 * hotpot.log.force          timer    forces of the redo log (one per group of commits)
 * hotpot.log.bytes          counter  bytes appended to the redo log
 * hotpot.checkpoint         timer    background checkpoints
 * hotpot.recovery.time      timer    recovery at open
 * </pre>
 *
 * <p>Threading: safe from any thread.
 */
public final class HotpotMetrics {
    private final Counter commits;
    private final Counter aborts;
    private final Counter retries;
    private final Timer commitLatency;
    private final Timer logForce;
    private final Counter logBytes;
    private final Timer checkpoint;
    private final Timer recovery;

    public HotpotMetrics(MeterRegistry registry, String heap) {
        commits = Counter.builder("hotpot.tx.commit").tag("heap", heap)
                .description("transactions committed").register(registry);
        aborts = Counter.builder("hotpot.tx.abort").tag("heap", heap)
                .description("transactions rolled back by an exception").register(registry);
        retries = Counter.builder("hotpot.tx.retry").tag("heap", heap)
                .description("conflict aborts that re-ran the transaction").register(registry);
        // Quantiles over about the last 10 s: the status page charts the p99 from them.
        commitLatency = Timer.builder("hotpot.tx.commit.latency").tag("heap", heap)
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofSeconds(10))
                .distributionStatisticBufferLength(2)
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
