package dev.hotpot.heap;

import dev.hotpot.offline.Collector;
import dev.hotpot.offline.HeapCheck;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The arenas a cluster node's threads make in the arena directory: made once, by committed
 * transactions only, accepted by {@code verify}, kept by {@code gc}, and found again after a restart.
 */
class ArenaDirectoryTest {
    private static final int NODE = 3;
    private static final int THREADS = Arenas.PER_NODE;
    private static final int BLOCKS_PER_THREAD = 300;

    @TempDir
    Path dir;

    @Test
    void eachThreadOfANodeAllocatesFromAnArenaOfItsOwnAndTheHeapStaysWhole() throws Exception {
        List<Long> kept = new ArrayList<>();
        Set<Long> arenas;
        try (Heap heap = openAsNode()) {
            kept.addAll(allocateFromThreads(heap));
            arenas = directoryArenas(heap);
            assertEquals(Arenas.PER_NODE - Arenas.SUPERBLOCK_PER_NODE, arenas.size(), "arenas made: " + arenas);
            for (long arena : arenas) {
                assertEquals(BlockFormat.HEADER, arena % Pages.SIZE, "arena at " + arena + " starts its page");
                assertTrue(heap.transaction(() -> heap.getLong(arena + Superblock.ARENA_CHUNK_CURSOR)) != 0,
                        "arena at " + arena + " was allocated from");
            }
            assertWhole(heap);
            Collector.Result freed = new Collector(heap, 64).run(Collector.Progress.NONE);
            assertEquals(kept.size(), freed.blocks(), "gc frees the blocks no root reaches and keeps the arenas");
            assertWhole(heap);
            assertEquals(arenas, directoryArenas(heap));
        }
        try (Heap heap = openAsNode()) {
            long top = heap.transaction(() -> heap.getLong(Superblock.TOP));
            allocateFromThreads(heap);
            assertEquals(arenas, directoryArenas(heap), "after a restart the node's threads use the same arenas");
            assertEquals(0, (heap.transaction(() -> heap.getLong(Superblock.TOP)) - top) % BlockFormat.CHUNK,
                    "the top grew by whole chunks only: no arena was made again");
            assertWhole(heap);
        }
    }

    @Test
    void anArenaMadeByATransactionThatRollsBackIsNotUsedLater() throws InterruptedException {
        try (Heap heap = openAsNode()) {
            for (int turn = 0; turn < Arenas.SUPERBLOCK_PER_NODE; turn++) {
                onNewThread(() -> heap.allocate(16));
            }
            assertThrows(IllegalStateException.class, () -> heap.transaction(() -> {
                heap.allocate(16);
                throw new IllegalStateException("roll back");
            }));
            assertEquals(0, heap.transaction(() -> heap.getLong(Superblock.ARENA_DIRECTORY)),
                    "the rolled-back transaction's directory is gone");
            long block = heap.allocate(16);
            assertEquals(1, directoryArenas(heap).size());
            long arena = directoryArenas(heap).iterator().next();
            long cursor = heap.transaction(() -> heap.getLong(arena + Superblock.ARENA_CHUNK_CURSOR));
            long blockSize = BlockFormat.classSize(BlockFormat.classOf(16 + BlockFormat.HEADER));
            assertEquals(block - BlockFormat.HEADER + blockSize, cursor, "the block comes from the arena made again");
            assertWhole(heap);
        }
    }

    @Test
    void aFreeMakesNoArenaSoThatItNeedsNoSpace() throws InterruptedException {
        try (Heap heap = openAsNode()) {
            long[] block = new long[1];
            onNewThread(() -> block[0] = heap.allocate(16));
            onNewThread(() -> heap.allocate(16));
            heap.free(block[0]);
            assertEquals(0, heap.transaction(() -> heap.getLong(Superblock.ARENA_DIRECTORY)), "no arena was made");
            long nodesFirst = Superblock.arena(Arenas.choose(NODE, 0));
            long head = Superblock.freeHead(nodesFirst, BlockFormat.classOf(16 + BlockFormat.HEADER));
            assertEquals(block[0], heap.transaction(() -> heap.getLong(head)),
                    "the block went to the node's first arena, as the thread's own is not made");
            assertWhole(heap);
        }
    }

    @Test
    void verifyReportsADamagedDirectoryEntryAtTheEntry() throws Exception {
        try (Heap heap = openAsNode()) {
            allocateFromThreads(heap);
            long directory = heap.transaction(() -> heap.getLong(Superblock.ARENA_DIRECTORY));
            long first = firstMadeEntry(heap, directory);
            long second = firstMadeEntry(heap, first + 8);
            long arena = heap.transaction(() -> heap.getLong(first));
            heap.putLong(second, arena);
            assertReported(heap, second, "arena " + arenaNumber(directory, second) + " at 0x" + Long.toHexString(arena)
                    + " is owned twice");
            heap.putLong(second, arena + 64);
            assertReported(heap, second, "arena " + arenaNumber(directory, second) + " at 0x"
                    + Long.toHexString(arena + 64) + " is inside the block at 0x" + Long.toHexString(arena));
        }
    }

    private static long firstMadeEntry(Heap heap, long from) {
        return heap.transaction(() -> {
            for (long entry = from; ; entry += 8) {
                if (heap.getLong(entry) != 0) {
                    return entry;
                }
            }
        });
    }

    private static int arenaNumber(long directory, long entry) {
        return Superblock.ARENAS + (int) ((entry - directory) / 8);
    }

    private static void assertReported(Heap heap, long at, String text) {
        HeapCheck check = heap.transaction(() -> HeapCheck.run(heap));
        assertTrue(check.problems().stream().anyMatch(p -> p.address() == at && p.message().contains(text)),
                "expected at 0x" + Long.toHexString(at) + ": " + text + "; found " + check.problems());
    }

    private static void onNewThread(Runnable action) throws InterruptedException {
        Thread thread = Thread.ofPlatform().start(action);
        thread.join(Duration.ofSeconds(30));
        assertFalse(thread.isAlive(), "the thread did not finish");
    }

    private Heap openAsNode() {
        Heap heap = Heap.open(TempHeaps.small(dir).build());
        heap.transactionManager().setNode(NODE);
        return heap;
    }

    /** Each thread allocates blocks of several sizes and frees every third; returns the blocks kept. */
    private static List<Long> allocateFromThreads(Heap heap) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    List<Long> blocks = new ArrayList<>();
                    for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                        long block = heap.allocate(16 + 24L * (i % 7));
                        if (i % 3 == 2) {
                            heap.free(block);
                        } else {
                            blocks.add(block);
                        }
                    }
                    return blocks;
                }));
            }
            List<Long> kept = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                kept.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(kept.size(), new HashSet<>(kept).size(), "no block was handed out twice");
            return kept;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Set<Long> directoryArenas(Heap heap) {
        return heap.transaction(() -> {
            Set<Long> arenas = new HashSet<>();
            long directory = heap.getLong(Superblock.ARENA_DIRECTORY);
            for (int slot = 0; directory != 0 && slot < Superblock.ARENA_DIRECTORY_SLOTS; slot++) {
                long arena = heap.getLong(directory + 8L * slot);
                if (arena != 0) {
                    arenas.add(arena);
                }
            }
            return arenas;
        });
    }

    private static void assertWhole(Heap heap) {
        HeapCheck check = heap.transaction(() -> HeapCheck.run(heap));
        assertTrue(check.problems().isEmpty(), check.problems()::toString);
    }
}
