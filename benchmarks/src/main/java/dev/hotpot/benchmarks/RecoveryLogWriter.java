package dev.hotpot.benchmarks;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.Pages;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link RecoveryTimeHarness}: fills a new heap's redo log with at least
 * {@link #LOG_BYTES} of committed, never checkpointed transactions, forces the log, prints
 * {@link #READY} and halts without closing the heap, as a crash would.
 *
 * <p>Each transaction changes one long on each of {@value #PAGES_PER_TRANSACTION} pages drawn at
 * random from a working set of {@value #DATA_PAGES} pages, so replay touches the whole working set.
 *
 * <p>Threading: single-threaded; halts by itself after {@link #SELF_DESTRUCT_SECONDS} in case the
 * parent is gone.
 */
public final class RecoveryLogWriter {
    static final long LOG_BYTES = 64L << 20;
    static final String READY = "READY";
    static final long SELF_DESTRUCT_SECONDS = 300;
    private static final int DATA_PAGES = 8192;
    private static final int PAGES_PER_TRANSACTION = 4;
    private static final long SEED = 42;

    private final Heap heap;
    private final long data;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private long value;

    private RecoveryLogWriter(Heap heap) {
        this.heap = heap;
        this.data = ScratchHeap.allocatePages(heap, DATA_PAGES);
    }

    /**
     * The heap both processes open: a log segment and a checkpoint threshold well above
     * {@link #LOG_BYTES}, so nothing of it is checkpointed before the crash.
     */
    static HeapConfig config(Path directory) {
        return HeapConfig.builder(directory, "recovery")
                .size(256L << 20)
                .durability(Durability.NONE)
                .logSegmentBytes(2 * LOG_BYTES)
                .checkpointLogBytes(8 * LOG_BYTES)
                .build();
    }

    /** Usage: {@code RecoveryLogWriter <directory>}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RecoveryLogWriter <directory>");
        }
        Thread.ofPlatform().daemon().start(RecoveryLogWriter::haltLater);
        RecoveryLogWriter writer = new RecoveryLogWriter(Heap.open(config(Path.of(args[0]))));
        long transactions = writer.fillLog();
        writer.heap.flush();
        System.out.println(READY + " logBytes=" + writer.heap.uncheckpointedLogBytes() + " transactions=" + transactions);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private long fillLog() {
        long transactions = 0;
        while (heap.uncheckpointedLogBytes() < LOG_BYTES) {
            heap.transaction(this::changeRandomPages);
            transactions++;
        }
        return transactions;
    }

    private void changeRandomPages() {
        value++;
        for (int i = 0; i < PAGES_PER_TRANSACTION; i++) {
            long page = data + (long) random.nextInt(DATA_PAGES) * Pages.SIZE;
            heap.putLong(page + (long) random.nextInt(Pages.SIZE / Long.BYTES) * Long.BYTES, value);
        }
    }

    private static void haltLater() {
        try {
            TimeUnit.SECONDS.sleep(SELF_DESTRUCT_SECONDS);
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("RecoveryLogWriter: no crash point reached within " + SELF_DESTRUCT_SECONDS + " s; halting");
        Runtime.getRuntime().halt(2);
    }
}
