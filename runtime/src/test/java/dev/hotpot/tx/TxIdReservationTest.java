package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.storage.FileStorage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that reserves its transaction ids ({@link TransactionManager#reserveTxIds}) hands out
 * none before a ceiling above it is recorded, and a restart that starts from the recorded ceiling
 * repeats no id, even though its log start did not move (it wrote nothing, as a node whose every
 * attempt went to a primary may).
 */
class TxIdReservationTest {
    private static final long BLOCK = 5;
    private static final long LOG_START = 1;

    @TempDir
    Path dir;

    @Test
    void aRestartFromTheRecordedCeilingRepeatsNoId() throws Exception {
        AtomicLong recorded = new AtomicLong();
        Set<Long> handedOut = new HashSet<>();
        for (int life = 0; life < 3; life++) {
            try (Arena arena = Arena.ofConfined()) {
                HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), "node");
                RedoLog log = new RedoLog(new FileStorage(), dir.resolve("life-" + life), 16L << 20, 0, 1L << 40, metrics);
                try {
                    MemorySegment working = arena.allocate(8L * Pages.SIZE, Pages.SIZE);
                    // Every life starts at the same log position: none wrote a byte.
                    TransactionManager manager = new TransactionManager(working, log, Durability.SYNC, metrics, 100,
                            LOG_START, 0, () -> { });
                    manager.setNode(7);
                    manager.reserveTxIds(recorded.get(), next -> {
                        assertTrue(next + BLOCK > recorded.get(), "the ceiling went down");
                        recorded.set(next + BLOCK);
                        return next + BLOCK;
                    });
                    for (int i = 0; i < 12; i++) {
                        long id = manager.nextTxId();
                        assertEquals(7, id >>> 48, "the node's number in the id");
                        assertTrue((id & ((1L << 48) - 1)) < recorded.get(), "id " + id + " went out before a ceiling"
                                + " above it was recorded (" + recorded.get() + ")");
                        assertTrue(handedOut.add(id), "life " + life + " repeated id " + id);
                    }
                } finally {
                    log.close();
                }
            }
        }
        assertEquals(36, handedOut.size());
    }
}
