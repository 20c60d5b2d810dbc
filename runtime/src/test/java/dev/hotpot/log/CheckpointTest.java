package dev.hotpot.log;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Background checkpoints keep the log bounded, and recovery replays only what follows the last one. */
class CheckpointTest {
    @TempDir
    Path dir;

    private HeapConfig config(Durability durability, SimpleMeterRegistry registry) {
        return HeapConfig.builder(dir, "ckpt").size(8L << 20).logSegmentBytes(64 << 10).checkpointLogBytes(128 << 10)
                .durability(durability).meterRegistry(registry).build();
    }

    private long logFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("ckpt").resolve("log"))) {
            return files.count();
        }
    }

    @Test
    void theLogStaysBoundedAndSegmentsAreRecycledUnderSustainedCommits() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long maxLog = 0;
        long maxFiles = 0;
        try (Heap heap = Heap.open(config(Durability.NONE, registry))) {
            long block = heap.allocate(64 * 4096);
            for (int i = 0; i < 20_000; i++) {
                int page = i % 64;
                long value = i;
                heap.transaction(() -> heap.putLong(block + page * 4096L, value));
                maxLog = Math.max(maxLog, heap.uncheckpointedLogBytes());
                if (i % 1000 == 0) {
                    maxFiles = Math.max(maxFiles, logFiles());
                }
            }
            heap.setRoot("block", block);
        }
        double logged = registry.get("hotpot.log.bytes").counter().count();
        assertTrue(logged > 8 * (128 << 10), "the test wrote far more log than one checkpoint interval: " + logged);
        assertTrue(registry.get("hotpot.checkpoint").timer().count() > 5, "background checkpoints ran");
        assertTrue(maxLog <= 4 * (128 << 10) + (64 << 10), "un-checkpointed log stayed bounded: " + maxLog);
        assertTrue(maxFiles <= 16, "segment files stayed bounded: " + maxFiles);
        try (Heap heap = Heap.open(config(Durability.SYNC, new SimpleMeterRegistry()))) {
            assertEquals(0, heap.recoveryReport().records(), "a clean close checkpoints everything");
            long block = heap.root("block");
            for (int page = 0; page < 64; page++) {
                assertEquals(page + 64 * ((19_999 - page) / 64), heap.getLong(block + page * 4096L), "last value of page " + page);
            }
        }
    }

    @Test
    void everyDurabilityModeSurvivesACleanClose() {
        for (Durability durability : Durability.values()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Heap heap = Heap.open(config(durability, registry))) {
                long a = heap.allocate(8);
                heap.putLong(a, durability.ordinal() + 100);
                heap.setRoot(durability.name(), a);
                long forces = registry.get("hotpot.log.force").timer().count();
                if (durability == Durability.SYNC) {
                    assertTrue(forces >= 3, "sync forces each of the 3 commits: " + forces);
                } else if (durability == Durability.NONE) {
                    assertEquals(0, forces, "none never forces on commit");
                }
            }
        }
        try (Heap heap = Heap.open(config(Durability.SYNC, new SimpleMeterRegistry()))) {
            for (Durability durability : Durability.values()) {
                assertEquals(durability.ordinal() + 100, heap.getLong(heap.root(durability.name())));
            }
        }
    }

    @Test
    void asyncCommitsAreForcedInTheBackgroundWithoutWaitingForIt() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HeapConfig config = HeapConfig.builder(dir, "async").size(8L << 20).durability(Durability.ASYNC)
                .asyncFlushInterval(java.time.Duration.ofMillis(20)).meterRegistry(registry).build();
        try (Heap heap = Heap.open(config)) {
            long a = heap.allocate(8);
            heap.putLong(a, 5);
            var forces = registry.get("hotpot.log.force").timer();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (forces.count() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(forces.count() > 0, "the background flusher forced the async commits");
            assertEquals(5, heap.getLong(a));
        }
    }

    @Test
    void aFailingCheckpointStopsCommitsWithItsCauseInsteadOfHangingThem() {
        HeapConfig config = HeapConfig.builder(dir, "failing").size(8L << 20).logSegmentBytes(64 << 10)
                .checkpointLogBytes(64 << 10).durability(Durability.NONE)
                .checkpointListener((from, to) -> {
                    throw new IllegalStateException("disk controller on fire");
                }).build();
        Heap heap = Heap.open(config);
        long a = heap.allocate(8);
        dev.hotpot.HotpotException failure = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long i = 0; failure == null && System.nanoTime() < deadline; i++) {
            long value = i;
            try {
                heap.transaction(() -> heap.putLong(a, value));
            } catch (dev.hotpot.HotpotException e) {
                failure = e;
            }
        }
        assertNotNull(failure, "commits failed once the checkpoint failed");
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertEquals("disk controller on fire", root.getMessage());
        assertThrows(dev.hotpot.HotpotException.class, heap::close, "close reports the failed checkpoint too");
    }

    @Test
    void metricsCountCommitsAbortsAndRecovery() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Heap heap = Heap.open(config(Durability.SYNC, registry))) {
            long a = heap.allocate(8);
            heap.transaction(() -> heap.putLong(a, 1));
            assertThrows(IllegalStateException.class, () -> heap.transaction(() -> {
                heap.putLong(a, 2);
                throw new IllegalStateException("abort");
            }));
            assertEquals(1, heap.getLong(a));
            assertTrue(registry.get("hotpot.tx.commit").counter().count() >= 2);
            assertEquals(1, registry.get("hotpot.tx.abort").counter().count());
            assertTrue(registry.get("hotpot.tx.commit.latency").timer().count() >= 2);
            assertTrue(registry.get("hotpot.log.bytes").counter().count() > 0);
            assertEquals(1, registry.get("hotpot.recovery.time").timer().count());
            assertEquals("ckpt", registry.get("hotpot.tx.commit").counter().getId().getTag("heap"));
        }
    }
}
