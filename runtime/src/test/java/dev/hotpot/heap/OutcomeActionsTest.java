package dev.hotpot.heap;

import dev.hotpot.HotpotException;
import dev.hotpot.testing.FaultyStorage;
import dev.hotpot.testing.RootValue;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commit and rollback actions keep the promise of a transaction's return: they never run on an
 * outcome a crash could take back. When the outcome is unknown only the finish actions run.
 */
class OutcomeActionsTest {
    private static final String ROOT = "value";

    @TempDir
    Path dir;

    private static long storeValue(Heap heap, long value) {
        return RootValue.store(heap, ROOT, value);
    }

    @Test
    void aCommitWhoseForceFailsRunsItsFinishActionsButNoCommitAction() {
        FaultyStorage storage = new FaultyStorage();
        Heap heap = Heap.open(TempHeaps.small(dir).storage(storage).build());
        long at = storeValue(heap, 1);
        storage.failing("force", new IOException("Input/output error"));
        AtomicBoolean committed = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        HotpotException failure = assertThrows(HotpotException.class, () -> heap.transaction(() -> {
            heap.afterCommit(() -> committed.set(true));
            heap.onFinish(() -> finished.set(true));
            heap.putLong(at, 2);
        }));
        assertTrue(failure.getMessage().contains("force failed"), failure.getMessage());
        assertFalse(committed.get(), "a commit action ran although the commit may be lost");
        assertTrue(finished.get(), "finish actions release what the attempt held");
        closeAfterFailure(heap);
        try (Heap reopened = Heap.open(TempHeaps.small(dir).build())) {
            long value = reopened.getLong(reopened.root(ROOT));
            assertTrue(value == 1 || value == 2, "the acknowledged value or the unknown one: " + value);
        }
    }

    @Test
    void aCommitWhosePublishingActionThrowsRunsNoCommitAction() {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            long at = storeValue(heap, 1);
            AtomicBoolean committed = new AtomicBoolean();
            AtomicBoolean rolledBack = new AtomicBoolean();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> heap.transaction(() -> {
                heap.afterCommit(() -> committed.set(true));
                heap.onRollback(() -> rolledBack.set(true));
                heap.beforeUnlock(() -> {
                    throw new IllegalStateException("publishing failed");
                });
                heap.putLong(at, 2);
            }));
            assertEquals("publishing failed", thrown.getMessage());
            assertFalse(committed.get(), "the record is in the log, its outcome unknown: no commit action");
            assertFalse(rolledBack.get(), "nor a rollback action");
        } catch (HotpotException closingAFailedHeap) {
            // The heap is failed after the action threw; closing may report it.
        }
    }

    @Test
    void aRollbackRunsItsRollbackActionsAfterTheFinishActions() {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            long at = storeValue(heap, 1);
            StringBuilder order = new StringBuilder();
            assertThrows(ArithmeticException.class, () -> heap.transaction(() -> {
                heap.onRollback(() -> order.append("rollback;"));
                heap.onFinish(() -> order.append("finish;"));
                heap.afterCommit(() -> order.append("commit;"));
                heap.putLong(at, 3);
                throw new ArithmeticException("body failed");
            }));
            assertEquals("finish;rollback;", order.toString());
            assertEquals(1, heap.getLong(at));
        }
    }

    private static void closeAfterFailure(Heap heap) {
        try {
            heap.close();
        } catch (RuntimeException expected) {
            // The heap is failed; the test only needs its files released.
        }
    }
}
