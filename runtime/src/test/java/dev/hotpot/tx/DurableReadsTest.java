package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.LogRecordDescriptor;
import dev.hotpot.log.RedoApplier;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.storage.FileStorage;
import dev.hotpot.testing.Capturing;
import dev.hotpot.testing.InMemoryImage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commits unlock their pages before their log force (early lock release), so a transaction can
 * read a commit that is not durable yet. This checks that no read returns such a value: writers
 * increment a counter in {@code SYNC} transactions while readers note each value they were given
 * together with the log's durable position right after the read returned. The readers read in
 * read-only transactions, in transactions that first store the same bytes on the counter's page
 * (no record, and a page read through this transaction's own lock) and return or throw, and
 * outside transactions. The log, read back afterwards, tells where the record that wrote each
 * value ends; every value shown must have been durable. A kill -9 cannot check this (the kernel
 * keeps an appended record even when it was not forced), and neither can a heap on tmpfs, where a
 * force is too fast to leave a window: the temporary directory must be on a disk.
 */
class DurableReadsTest {
    private static final long COUNTER = Pages.SIZE;
    /** On the counter's page, always 0: storing 0 there changes nothing. */
    private static final long UNCHANGED = COUNTER + 64;
    private static final List<String> KINDS = List.of("a read-only transaction", "a transaction that stored no change",
            "a transaction that threw", "a read outside a transaction");
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path dir;

    private record Shown(long value, long durableAfter, String how) {
    }

    @Test
    void noReadReturnsACommitBeforeItIsDurable() throws Exception {
        HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), "reads");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment working = arena.allocate(16L * Pages.SIZE, Pages.SIZE);
            RedoLog log = new RedoLog(new FileStorage(), dir, 16L << 20, 0, 1L << 40, metrics);
            try {
                TransactionManager manager = new TransactionManager(working, log, Durability.SYNC, metrics, 10_000, 1, 0, () -> { });
                List<Shown> shown = run(manager, log);
                Map<Long, Long> durableAt = commitEnds(log);
                Map<String, Integer> checked = new HashMap<>();
                for (Shown read : shown) {
                    if (read.value() == 0) {
                        continue;
                    }
                    Long end = durableAt.get(read.value());
                    assertTrue(end != null && end <= read.durableAfter(), read.how() + " returned counter=" + read.value()
                            + " whose commit is durable at log position " + end + ", but the log was durable only to "
                            + read.durableAfter() + " when the read returned");
                    checked.merge(read.how(), 1, Integer::sum);
                }
                for (String kind : KINDS) {
                    assertTrue(checked.getOrDefault(kind, 0) > 100, kind + " saw committed values: " + checked);
                }
            } finally {
                log.close();
            }
        }
    }

    private static List<Shown> run(TransactionManager manager, RedoLog log) throws InterruptedException {
        List<Shown> shown = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            threads.add(Thread.ofPlatform().start(Capturing.failuresOf(() -> {
                for (int i = 0; i < 20_000 && System.nanoTime() - start < DEADLINE_NANOS; i++) {
                    manager.run(() -> {
                        manager.write(COUNTER, 8, manager.read(COUNTER, 8) + 1);
                        return null;
                    });
                }
            }, failures)));
        }
        for (String kind : KINDS) {
            threads.add(Thread.ofPlatform().start(Capturing.failuresOf(() -> {
                List<Shown> mine = new ArrayList<>();
                for (int i = 0; i < 200_000 && System.nanoTime() - start < DEADLINE_NANOS; i++) {
                    long value = read(manager, kind);
                    mine.add(new Shown(value, log.durablePosition(), kind));
                }
                synchronized (shown) {
                    shown.addAll(mine);
                }
            }, failures)));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), "a test thread is still running after 60 s");
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a test thread failed", failures.getFirst());
        }
        return shown;
    }

    private static long read(TransactionManager manager, String kind) {
        return switch (kind) {
            case "a read-only transaction" -> manager.run(() -> manager.read(COUNTER, 8));
            case "a transaction that stored no change" -> manager.run(() -> {
                manager.write(UNCHANGED, 8, 0);
                return manager.read(COUNTER, 8);
            });
            case "a transaction that threw" -> {
                try {
                    manager.run(() -> {
                        manager.write(UNCHANGED, 8, 0);
                        throw new ValueSeen(manager.read(COUNTER, 8));
                    });
                    throw new AssertionError("the body throws");
                } catch (ValueSeen seen) {
                    yield seen.value;
                }
            }
            default -> manager.read(COUNTER, 8);
        };
    }

    /** For each counter value, the log position where the record that wrote it ends. */
    private static Map<Long, Long> commitEnds(RedoLog log) {
        log.forceAll();
        MemorySegment image = MemorySegment.ofArray(new long[2 * Pages.SIZE / 8]);
        RedoApplier applier = new RedoApplier(new InMemoryImage(image), dev.hotpot.heap.CheckpointListener.NONE);
        Map<Long, Long> ends = new HashMap<>();
        log.scan(0, log.writtenPosition(), (lsn, txId, sequence, body) -> {
            applier.commit(lsn, txId, sequence, body);
            ends.put(image.get(ValueLayout.JAVA_LONG_UNALIGNED, COUNTER), lsn + LogRecordDescriptor.recordLength((int) body.byteSize()));
        });
        return ends;
    }

    private static final class ValueSeen extends RuntimeException {
        final long value;

        ValueSeen(long value) {
            super(null, null, false, false);
            this.value = value;
        }
    }
}
