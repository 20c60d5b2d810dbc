package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real threads on few pages: conflicts are the rule, and invariants must still hold. */
class ConcurrencyTest {
    private static final int THREADS = 4;
    private static final int ACCOUNTS = 16;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void heavilyConflictingTransfersKeepTheTotalAndAbortsLeaveNoTrace() throws Exception {
        try (Heap heap = Heap.open(TempHeaps.small(dir).durability(Durability.NONE).build())) {
            long accounts = heap.allocate(8 * ACCOUNTS);
            long counters = heap.allocate(8 * THREADS);
            heap.transaction(() -> {
                for (int i = 0; i < ACCOUNTS; i++) {
                    heap.putLong(accounts + 8L * i, 1000);
                }
            });
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            long[] committed = new long[THREADS];
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom random = new SplittableRandom(id);
                    try {
                        for (int i = 0; i < 3000; i++) {
                            int from = random.nextInt(ACCOUNTS);
                            int to = random.nextInt(ACCOUNTS);
                            long amount = random.nextLong(50);
                            boolean fail = random.nextInt(5) == 0;
                            try {
                                heap.transaction(() -> {
                                    heap.putLong(accounts + 8L * from, heap.getLong(accounts + 8L * from) - amount);
                                    heap.putLong(accounts + 8L * to, heap.getLong(accounts + 8L * to) + amount);
                                    heap.putLong(counters + 8L * id, heap.getLong(counters + 8L * id) + 1);
                                    heap.allocate(24);
                                    if (fail) {
                                        throw new IllegalStateException("planned abort");
                                    }
                                });
                                committed[id]++;
                            } catch (IllegalStateException planned) {
                                // rolled back: must leave no trace
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(failures.isEmpty(), () -> "worker failed: " + failures.peek());
            long total = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                total += heap.getLong(accounts + 8L * i);
            }
            assertEquals(1000L * ACCOUNTS, total);
            for (int t = 0; t < THREADS; t++) {
                assertEquals(committed[t], heap.getLong(counters + 8L * t), "committed transfers of thread " + t);
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void readersNeverSeeAPartialTransactionEvenAcrossPages() throws Exception {
        try (Heap heap = Heap.open(TempHeaps.small(dir).durability(Durability.NONE).build())) {
            long x = heap.allocate(8);
            long y = heap.allocate(3 * 4096) + 4096;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (long i = 1; i <= 20_000; i++) {
                    long v = i;
                    heap.transaction(() -> {
                        heap.putLong(x, v);
                        heap.putLong(y, -v);
                    });
                }
                stop.set(true);
            });
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        heap.transaction(() -> {
                            long a = heap.getLong(x);
                            long b = heap.getLong(y);
                            // Checked inside the body: opacity means even a doomed attempt never sees a mix.
                            if (a + b != 0) {
                                broken.add("x=" + a + " y=" + b);
                            }
                        });
                        reads.incrementAndGet();
                    }
                }));
            }
            writer.join();
            for (Thread reader : readers) {
                reader.join();
            }
            assertTrue(broken.isEmpty(), () -> "inconsistent reads: " + broken);
            assertTrue(reads.get() > 0);
            assertEquals(20_000, heap.getLong(x));
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void writesOfRolledBackTransactionsAreNeverSeen() throws Exception {
        try (Heap heap = Heap.open(TempHeaps.small(dir).durability(Durability.NONE).build())) {
            long x = heap.allocate(8);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50_000; i++) {
                    try {
                        heap.transaction(() -> {
                            heap.putLong(x, 1);
                            throw new IllegalStateException("always rolled back");
                        });
                    } catch (IllegalStateException expected) {
                        // the store of 1 must vanish
                    }
                }
                stop.set(true);
            });
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    long outside = heap.getLong(x);
                    long inside = heap.transaction(() -> heap.getLong(x));
                    if (outside != 0 || inside != 0) {
                        seen.add(outside + inside);
                    }
                }
            });
            writer.join();
            reader.join();
            assertTrue(seen.isEmpty(), () -> "a reader saw an uncommitted value " + seen.size() + " times");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void concurrentAllocationsNeverHandOutTheSameBlockTwice() throws Exception {
        try (Heap heap = Heap.open(TempHeaps.small(dir).durability(Durability.NONE).build())) {
            ConcurrentLinkedQueue<Long> blocks = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom random = new SplittableRandom(id);
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        long block = heap.allocate(1 + random.nextInt(300));
                        heap.putLong(block, id * 1_000_000L + i);
                        mine.add(block);
                        if (random.nextInt(3) == 0) {
                            heap.free(mine.remove(random.nextInt(mine.size())));
                        }
                    }
                    for (long block : mine) {
                        blocks.add(block);
                        assertEquals(id, heap.getLong(block) / 1_000_000L, "block overwritten by another thread");
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(blocks.size(), blocks.stream().distinct().count(), "a live block was handed out twice");
        }
    }
}
