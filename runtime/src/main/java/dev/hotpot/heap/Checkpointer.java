package dev.hotpot.heap;

import dev.hotpot.Durability;
import dev.hotpot.HotpotException;
import dev.hotpot.log.LogReader;
import dev.hotpot.log.RedoApplier;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The heap's background duty cycle: forces the log within the async interval ({@code ASYNC}),
 * and checkpoints once the log since the last checkpoint exceeds its threshold.
 *
 * <p>A checkpoint forces the log, applies the durable records since the last checkpoint to the
 * durable image, forces the pages it wrote, then writes the new checkpoint position into the
 * header (forced) and recycles the segments below it. A crash between the two forces replays
 * records the image already has, which is harmless (replay is idempotent).
 *
 * <p>Threading: one daemon thread runs {@link #run}; {@link #checkpoint} is also called by
 * {@code close} after that thread stopped, and is synchronized against it.
 */
final class Checkpointer implements Runnable {
    private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final HeapFile file;
    private final RedoLog log;
    private final HeapConfig config;
    private final HotpotMetrics metrics;
    private final Thread thread;
    private volatile boolean stopping;

    Checkpointer(HeapFile file, RedoLog log, HeapConfig config, HotpotMetrics metrics) {
        this.file = file;
        this.log = log;
        this.config = config;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().daemon().name("hotpot-checkpoint-" + config.name()).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Wakes the thread if a checkpoint is due; cheap enough to call after every commit. */
    void nudge() {
        if (log.uncheckpointedBytes() >= config.checkpointLogBytes()) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        long park = config.durability() == Durability.ASYNC
                ? Math.min(IDLE_NANOS, config.asyncFlushInterval().toNanos()) : IDLE_NANOS;
        while (!stopping) {
            try {
                if (log.uncheckpointedBytes() >= config.checkpointLogBytes()) {
                    checkpoint();
                } else if (config.durability() == Durability.ASYNC) {
                    log.forceAll();
                }
            } catch (Throwable e) {
                // Whatever failed (I/O, a listener, an error), writers waiting for log space must not
                // wait forever: fail the log so that they and later commits get this error.
                LOG.log(System.Logger.Level.ERROR, "background log work failed for heap " + config.name()
                        + "; commits stop until the heap is reopened", e);
                log.fail(e instanceof HotpotException h ? h : new HotpotException("checkpoint failed: heap="
                        + config.name() + " (" + e + "); close and reopen the heap", e));
                return;
            }
            LockSupport.parkNanos(park);
        }
    }

    /** Brings the durable image up to everything appended so far and recycles the log below it. */
    synchronized void checkpoint() throws IOException {
        long start = System.nanoTime();
        log.forceAll();
        long from = file.header().checkpointLsn();
        long to = log.durablePosition();
        if (to <= from) {
            return;
        }
        RedoApplier applier = new RedoApplier(file.durableImage(), config.checkpointListener());
        LogReader.Result result = log.scan(from, to, applier);
        if (result.endLsn() != to) {
            throw new HotpotException("checkpoint found an unreadable durable log record: heap=" + config.name()
                    + " lsn=" + result.endLsn() + " expected up to " + to + " (" + result.tornInfo()
                    + "); the log was damaged while open, reopen the heap to recover what is intact");
        }
        applier.forceTouched();
        config.checkpointListener().imageApplied(from, to);
        file.writeCheckpoint(to, Math.max(file.header().lastSequence(), applier.lastSequence()));
        log.retireBelow(to);
        metrics.checkpoint(System.nanoTime() - start);
    }

    /** Stops the thread and waits for it. */
    void stop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join();
    }
}
