package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.LogRecordDescriptor;
import dev.hotpot.log.RedoApplier;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;
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
 * increment a counter in {@code SYNC} transactions while readers (in read-only transactions, in
 * transactions that throw, and outside transactions) note each value they were given together
 * with the log's durable position right after the read returned. The log, read back afterwards,
 * tells where the record that wrote each value ends; every value shown must have been durable.
 * (A kill -9 cannot check this: the kernel keeps an appended record even when it was not forced.)
 */
class DurableReadsTest {
    private static final long COUNTER = Pages.SIZE;
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
            RedoLog log = new RedoLog(dir, 16L << 20, 0, 1L << 40, metrics);
            try {
                TransactionManager manager = new TransactionManager(working, log, Durability.SYNC, metrics, 10_000, 1, () -> { });
                List<Shown> shown = run(manager, log);
                Map<Long, Long> durableAt = commitEnds(log);
                int checked = 0;
                for (Shown read : shown) {
                    if (read.value() == 0) {
                        continue;
                    }
                    Long end = durableAt.get(read.value());
                    assertTrue(end != null && end <= read.durableAfter(), read.how() + " returned counter=" + read.value()
                            + " whose commit is durable at log position " + end + ", but the log was durable only to "
                            + read.durableAfter() + " when the read returned");
                    checked++;
                }
                assertTrue(checked > 100, "the readers saw committed values: " + checked);
            } finally {
                log.close();
            }
        }
    }

    private static List<Shown> run(TransactionManager manager, RedoLog log) throws InterruptedException {
        List<Shown> shown = new ArrayList<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000 && System.nanoTime() - start < DEADLINE_NANOS; i++) {
                    manager.run(() -> {
                        manager.write(COUNTER, 8, manager.read(COUNTER, 8) + 1);
                        return null;
                    });
                }
            }));
        }
        String[] kinds = {"a read-only transaction", "a transaction that threw", "a read outside a transaction"};
        for (String kind : kinds) {
            threads.add(Thread.ofPlatform().start(() -> {
                List<Shown> mine = new ArrayList<>();
                for (int i = 0; i < 200_000 && System.nanoTime() - start < DEADLINE_NANOS; i++) {
                    long value = read(manager, kind);
                    mine.add(new Shown(value, log.durablePosition(), kind));
                }
                synchronized (shown) {
                    shown.addAll(mine);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        return shown;
    }

    private static long read(TransactionManager manager, String kind) {
        return switch (kind) {
            case "a read-only transaction" -> manager.run(() -> manager.read(COUNTER, 8));
            case "a transaction that threw" -> {
                try {
                    manager.run(() -> {
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
        RedoApplier applier = new RedoApplier(image);
        Map<Long, Long> ends = new HashMap<>();
        log.scan(0, log.writtenPosition(), (lsn, txId, body) -> {
            applier.commit(lsn, txId, body);
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
