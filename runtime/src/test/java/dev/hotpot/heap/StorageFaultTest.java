package dev.hotpot.heap;

import dev.hotpot.HotpotException;
import dev.hotpot.testing.FaultyStorage;
import dev.hotpot.testing.RootValue;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faults of the file system under a heap: each a clear error, nothing committed lost, the heap openable again. */
class StorageFaultTest {
    private static final String ROOT = "counter";

    @TempDir
    Path dir;

    private static long commitCounter(Heap heap, long value) {
        return RootValue.store(heap, ROOT, value);
    }

    private long counterAfterReopen() {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            return heap.getLong(heap.root(ROOT));
        }
    }

    @Test
    void aDirectorySyncThatFailsWithAnIoErrorFailsTheCommitThatNeededIt() {
        FaultyStorage storage = new FaultyStorage();
        Heap heap = Heap.open(TempHeaps.small(dir).logSegmentBytes(64 << 10).storage(storage).build());
        commitCounter(heap, 1);
        storage.failing("forceDirectory", new IOException("Input/output error"));
        HotpotException failure = assertThrows(HotpotException.class, () -> {
            // Each commit appends a record; one of them needs a new segment, whose name must be synced.
            for (long value = 2; value < 100_000; value++) {
                commitCounter(heap, value);
            }
        });
        assertTrue(failure.getMessage().contains("cannot create redo log segment")
                || failure.getCause() != null && failure.getCause().getMessage().contains("cannot create redo log segment"),
                failure.toString());
        closeQuietly(heap);
        long recovered = counterAfterReopen();
        assertTrue(recovered >= 1, "a commit acknowledged before the fault is kept: " + recovered);
    }

    @Test
    void anErrorWhileRecoveringLeavesTheHeapOpenableInTheSameProcess() throws IOException {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            commitCounter(heap, 42);
        }
        FaultyStorage storage = new FaultyStorage();
        InternalError sigbus = new InternalError("a fault occurred in an unsafe memory access operation");
        storage.failing("forceFile", sigbus);
        InternalError thrown = assertThrows(InternalError.class, () -> Heap.open(TempHeaps.small(dir).storage(storage).build()));
        assertSame(sigbus, thrown);
        assertEquals(42, counterAfterReopen(), "the heap's lock was released and nothing committed was lost");
    }

    @Test
    void aLeftOverSegmentCutShortBeforeItsRenameIsRemovedAtOpen() throws IOException {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            commitCounter(heap, 7);
        }
        Path leftOver = Files.createFile(dir.resolve("test").resolve("log").resolve("00000000000000ff.log.new"));
        assertEquals(7, counterAfterReopen());
        assertFalse(Files.exists(leftOver), "left-over " + leftOver.getFileName() + " removed");
    }

    private static void closeQuietly(Heap heap) {
        try {
            heap.close();
        } catch (RuntimeException expectedAfterTheFault) {
            // The heap is unusable after the failed segment; the test only needs its files released.
        }
    }
}
