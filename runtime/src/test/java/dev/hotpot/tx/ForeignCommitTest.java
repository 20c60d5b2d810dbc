package dev.hotpot.tx;

import dev.hotpot.Durability;
import dev.hotpot.heap.Pages;
import dev.hotpot.log.RecordBuffer;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.storage.FileStorage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary's commit of another node's transaction on a thread that must not wait
 * ({@link TransactionManager#tryCommitForeign}): it logs and applies the record without forcing
 * it, which {@link TransactionManager#awaitForeignForced} then does; it does nothing and says so
 * while a transaction of this node runs alone; and a stale read conflicts as in any commit.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ForeignCommitTest {
    private static final int PAGES = 8;
    private static final long ACCOUNT = Pages.addressOf(1);
    private static final int[] READ = {1};

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private RedoLog log;
    private TransactionManager manager;

    @BeforeEach
    void open() throws IOException {
        HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), "primary");
        log = new RedoLog(new FileStorage(), dir, 16L << 20, 0, 1L << 40, metrics);
        MemorySegment working = arena.allocate((long) PAGES * Pages.SIZE, Pages.SIZE);
        manager = new TransactionManager(working, log, Durability.SYNC, metrics, 100, 1, 0, () -> { });
    }

    @AfterEach
    void close() {
        log.close();
        arena.close();
    }

    @Test
    void theRecordIsLoggedAndAppliedAndForcedOnlyWhenAsked() {
        ForeignRecord logged = manager.tryCommitForeign(7, manager.clock(), READ, 1, body(41));
        assertTrue(logged.end() > 0, "logged: " + logged);
        assertEquals(logged.end(), log.writtenPosition());
        assertEquals(manager.clock(), logged.sequence(), "the record took the next commit sequence");
        assertEquals(41, manager.working().get(ValueLayout.JAVA_LONG_UNALIGNED, ACCOUNT), "applied to the copy");
        assertTrue(log.durablePosition() < logged.end(), "but not forced");
        manager.awaitForeignForced(logged.end(), System.nanoTime());
        assertTrue(log.durablePosition() >= logged.end(), "forced when asked");
        // A read outside a transaction waits until what it sees is durable: it comes after the check above.
        assertEquals(41, manager.read(ACCOUNT, 8));
    }

    @Test
    void whileATransactionOfThisNodeRunsAloneNothingIsDone() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        CompletableFuture<Void> reopen = new CompletableFuture<>();
        Thread alone = Thread.ofPlatform().start(() -> {
            manager.gate().close();
            closed.countDown();
            reopen.join();
            manager.gate().open();
        });
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        assertSame(ForeignRecord.MUST_WAIT, manager.tryCommitForeign(7, manager.clock(), READ, 1, body(41)));
        assertEquals(0, log.writtenPosition(), "nothing logged");
        assertEquals(0, manager.read(ACCOUNT, 8), "nothing applied");
        reopen.complete(null);
        alone.join();
        assertTrue(manager.tryCommitForeign(7, manager.clock(), READ, 1, body(41)).end() > 0, "logged once it opens");
    }

    @Test
    void aReadOfAPageThatChangedSinceConflicts() {
        long readVersion = manager.clock();
        manager.run(() -> {
            manager.write(ACCOUNT, 8, 5);
            return null;
        });
        long written = log.writtenPosition();
        assertSame(ForeignRecord.CONFLICT, manager.tryCommitForeign(7, readVersion, READ, 1, body(41)));
        assertEquals(written, log.writtenPosition(), "nothing logged");
        assertEquals(5, manager.read(ACCOUNT, 8));
    }

    @Test
    void aRecordThatChangesNothingMustWait() {
        assertSame(ForeignRecord.MUST_WAIT, manager.tryCommitForeign(7, manager.clock(), READ, 1, body(0)));
        assertEquals(0, log.writtenPosition(), "nothing logged");
    }

    private static MemorySegment body(long value) {
        RecordBuffer record = new RecordBuffer();
        record.addRange(ACCOUNT, MemorySegment.ofArray(new long[] {value}), 0, 8);
        record.seal(7, 0);
        return record.body();
    }
}
