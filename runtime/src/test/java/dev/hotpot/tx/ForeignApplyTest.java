package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.HeapCorruptException;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RecordBuffer;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.storage.FileStorage;
import dev.hotpot.testing.Capturing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records committed elsewhere (as a cluster primary ships them) applied by a thread that runs no
 * transaction, while local transactions run on the same pages: no body sees a record in part, no
 * reader sees a torn word, local transactions that read a page a record changed re-run, and the
 * receiving copy ends with the same page versions and bytes as the copy that committed.
 */
class ForeignApplyTest {
    private static final int PAGES = 8;
    private static final int LOCAL = 8;
    private static final int FOREIGN = 8;
    private static final long START = 1000;
    private static final long TOTAL = START * (LOCAL + FOREIGN);
    /** Per account page, a word each shipped record sets to {@code sequence * 0x1_0000_0001}: equal halves or torn. */
    private static final long MARKER = 2048;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private final List<RedoLog> logs = new ArrayList<>();

    @AfterEach
    void close() {
        logs.forEach(RedoLog::close);
        arena.close();
    }

    private TransactionManager manager(String name) throws IOException {
        HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), name);
        RedoLog log = new RedoLog(new FileStorage(), Files.createDirectories(dir.resolve(name)), 16L << 20, 0, 1L << 40, metrics);
        logs.add(log);
        MemorySegment working = arena.allocate((long) PAGES * Pages.SIZE, Pages.SIZE);
        return new TransactionManager(working, log, Durability.NONE, metrics, 1_000_000, 1, 0, () -> { });
    }

    /** Local accounts and shipped accounts share pages 1 to 4, so records and transactions meet on them. */
    private static long local(int i) {
        return Pages.addressOf(1 + i % 4) + 64L * (i / 4);
    }

    private static long foreign(int j) {
        return Pages.addressOf(1 + j % 4) + 1024 + 64L * (j / 4);
    }

    private static long marker(long account) {
        return (account & ~Pages.OFFSET_MASK) + MARKER;
    }

    private static long sum(TransactionManager manager) {
        long total = 0;
        for (int i = 0; i < LOCAL; i++) {
            total += manager.read(local(i), 8);
        }
        for (int j = 0; j < FOREIGN; j++) {
            total += manager.read(foreign(j), 8);
        }
        return total;
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shippedTransfersAppliedDuringLocalTransfersNeverShowAPartialRecord() throws Exception {
        TransactionManager manager = manager("node");
        manager.run(() -> {
            for (int i = 0; i < LOCAL; i++) {
                manager.write(local(i), 8, START);
            }
            for (int j = 0; j < FOREIGN; j++) {
                manager.write(foreign(j), 8, START);
            }
            return null;
        });
        ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean localsDone = new AtomicBoolean();
        AtomicLong bodyRuns = new AtomicLong();
        AtomicLong localCommits = new AtomicLong();
        long start = System.nanoTime();
        long[] shipped = new long[FOREIGN];
        java.util.Arrays.fill(shipped, START);
        AtomicLong applied = new AtomicLong();

        List<Thread> locals = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(t);
            locals.add(Thread.ofPlatform().start(Capturing.failuresOf(() -> {
                // At least 3000 transfers, and on until 2000 records were applied among them.
                for (int n = 0; (n < 3000 || applied.get() < 2000) && System.nanoTime() - start < DEADLINE_NANOS; n++) {
                    int from = random.nextInt(LOCAL);
                    int to = random.nextInt(LOCAL);
                    long amount = random.nextLong(1, 50);
                    manager.run(() -> {
                        bodyRuns.incrementAndGet();
                        long seen = sum(manager);
                        if (seen != TOTAL) {
                            broken.add("a transaction body saw total " + seen);
                        }
                        manager.write(local(from), 8, manager.read(local(from), 8) - amount);
                        manager.write(local(to), 8, manager.read(local(to), 8) + amount);
                        return null;
                    });
                    localCommits.incrementAndGet();
                    long after = manager.run(() -> sum(manager));
                    if (after != TOTAL) {
                        broken.add("after a commit the total was " + after);
                    }
                }
            }, failures)));
        }
        Thread applier = Thread.ofPlatform().start(Capturing.failuresOf(() -> {
            RecordApplier records = manager.newApplier();
            RecordBuffer record = new RecordBuffer();
            SplittableRandom random = new SplittableRandom(99);
            while (!localsDone.get() && System.nanoTime() - start < DEADLINE_NANOS) {
                int from = random.nextInt(FOREIGN);
                int to = (from + 1 + random.nextInt(FOREIGN - 1)) % FOREIGN;
                long amount = random.nextLong(1, 50);
                while (true) {
                    long sequence = manager.clock() + 1;
                    record.reset();
                    addWord(record, foreign(from), shipped[from] - amount);
                    addWord(record, foreign(to), shipped[to] + amount);
                    addWord(record, marker(foreign(from)), sequence * 0x1_0000_0001L);
                    addWord(record, marker(foreign(to)), sequence * 0x1_0000_0001L);
                    record.seal(applied.get(), 0);
                    if (records.applyShipped(record.body(), sequence)) {
                        break;
                    }
                }
                shipped[from] -= amount;
                shipped[to] += amount;
                applied.incrementAndGet();
            }
        }, failures));
        Thread reader = Thread.ofPlatform().start(Capturing.failuresOf(() -> {
            while (!localsDone.get() && System.nanoTime() - start < DEADLINE_NANOS) {
                for (int page = 1; page <= 4; page++) {
                    long word = manager.read(Pages.addressOf(page) + MARKER, 8);
                    if ((int) word != (int) (word >>> 32)) {
                        broken.add("a read outside a transaction saw a torn word " + Long.toHexString(word));
                    }
                }
            }
        }, failures));
        for (Thread local : locals) {
            local.join(TimeUnit.SECONDS.toMillis(60));
        }
        localsDone.set(true);
        applier.join(TimeUnit.SECONDS.toMillis(60));
        reader.join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(failures.isEmpty(), () -> "a thread failed: " + failures.peek());
        assertTrue(broken.isEmpty(), () -> broken.size() + " inconsistent views, first: " + broken.peek());
        assertEquals(TOTAL, sum(manager));
        for (int j = 0; j < FOREIGN; j++) {
            assertEquals(shipped[j], manager.read(foreign(j), 8), "shipped account " + j + " holds every applied record");
        }
        assertTrue(applied.get() >= 2000, "records applied: " + applied.get());
        assertTrue(bodyRuns.get() > localCommits.get(),
                "applied records made local transactions re-run: runs=" + bodyRuns + " commits=" + localCommits);
    }

    @Test
    void aTransactionThatReadAPageARecordThenChangedRunsAgain() throws Exception {
        TransactionManager manager = manager("node");
        long x = local(0);
        long y = local(1);
        AtomicInteger runs = new AtomicInteger();
        manager.run(() -> {
            long seen = manager.read(x, 8);
            if (runs.incrementAndGet() == 1) {
                Thread shipper = Thread.ofPlatform().start(() -> {
                    RecordBuffer record = new RecordBuffer();
                    addWord(record, x, 41);
                    record.seal(7, 0);
                    assertTrue(manager.newApplier().applyShipped(record.body(), manager.clock() + 1));
                });
                try {
                    shipper.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            manager.write(y, 8, seen + 1);
            return null;
        });
        assertEquals(2, runs.get(), "the first run read x before the record changed it");
        assertEquals(42, manager.read(y, 8));
    }

    @Test
    void shippedRecordsGiveTheReceivingCopyTheSameVersionsAndBytes() throws Exception {
        TransactionManager primary = manager("primary");
        TransactionManager backup = manager("backup");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            SplittableRandom random = new SplittableRandom(t);
            writers.add(Thread.ofPlatform().start(Capturing.failuresOf(() -> {
                for (int n = 0; n < 300; n++) {
                    primary.run(() -> {
                        for (int k = random.nextInt(1, 4); k > 0; k--) {
                            long address = Pages.addressOf(random.nextInt(1, PAGES)) + 8L * random.nextInt(Pages.SIZE / 8);
                            primary.write(address, 8, random.nextLong());
                        }
                        return null;
                    });
                }
            }, failures)));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertTrue(failures.isEmpty(), () -> "a writer failed: " + failures.peek());
        RecordApplier applier = backup.newApplier();
        AtomicInteger shipped = new AtomicInteger();
        RedoLog log = logs.getFirst();
        log.forceAll();
        log.scan(0, log.writtenPosition(), (lsn, txId, sequence, body) -> {
            assertTrue(applier.applyShipped(body, sequence), "record at lsn " + lsn + " applies in order");
            shipped.incrementAndGet();
        });
        assertEquals(600, shipped.get());
        for (int page = 0; page < PAGES; page++) {
            assertEquals(primary.pageVersion(page), backup.pageVersion(page), "version of page " + page);
        }
        assertEquals(-1, primary.working().mismatch(backup.working()), "the copies hold the same bytes");
        log.scan(0, log.writtenPosition(), (lsn, txId, sequence, body) ->
                assertFalse(applier.applyShipped(body, sequence), "a record applied twice is refused"));
        assertEquals(-1, primary.working().mismatch(backup.working()));
    }

    @Test
    void aMalformedShippedRecordIsRefusedWholeAndLocksNothing() throws IOException {
        TransactionManager manager = manager("node");
        RecordBuffer record = new RecordBuffer();
        addWord(record, local(0), 5);
        addWord(record, (long) PAGES * Pages.SIZE, 6);
        record.seal(1, 0);
        assertThrows(HeapCorruptException.class, () -> manager.newApplier().applyShipped(record.body(), 1));
        assertEquals(0, manager.read(local(0), 8), "nothing of the refused record was applied");
        manager.run(() -> {
            manager.write(local(0), 8, 9);
            return null;
        });
        assertEquals(9, manager.read(local(0), 8), "no page was left locked");
    }

    @Test
    void anEmptyRangeIsMalformed() throws IOException {
        TransactionManager manager = manager("node");
        RecordBuffer record = new RecordBuffer();
        addWord(record, local(0), 5);
        record.addRange((long) PAGES * Pages.SIZE, MemorySegment.ofArray(new long[0]), 0, 0);
        record.seal(1, 0);
        assertThrows(HeapCorruptException.class, () -> manager.newApplier().applyShipped(record.body(), 1));
        manager.run(() -> {
            manager.write(local(0), 8, 9);
            return null;
        });
        assertEquals(9, manager.read(local(0), 8), "no page was left locked");
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void appliersWhoseRecordsTouchTheSamePagesInOppositeOrderDoNotDeadlock() throws Exception {
        TransactionManager manager = manager("node");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> appliers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long first = t == 0 ? local(0) : local(1);
            long second = t == 0 ? local(1) : local(0);
            appliers.add(Thread.ofPlatform().start(Capturing.failuresOf(() -> {
                RecordApplier records = manager.newApplier();
                RecordBuffer record = new RecordBuffer();
                for (int n = 0; n < 2000; n++) {
                    do {
                        record.reset();
                        addWord(record, first, n);
                        addWord(record, second, n);
                        record.seal(n, 0);
                    } while (!records.applyShipped(record.body(), manager.clock() + 1));
                }
            }, failures)));
        }
        for (Thread applier : appliers) {
            applier.join();
        }
        assertTrue(failures.isEmpty(), () -> "an applier failed: " + failures.peek());
        assertEquals(manager.read(local(0), 8), manager.read(local(1), 8), "each record was applied whole");
    }

    private static void addWord(RecordBuffer record, long address, long value) {
        record.addRange(address, MemorySegment.ofArray(new long[]{value}), 0, 8);
    }
}
