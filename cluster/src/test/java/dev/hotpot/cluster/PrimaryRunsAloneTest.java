package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.testing.FreePorts;
import dev.hotpot.tx.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-only transactions on the primary that keep losing to a backup's commits run alone: the
 * primary applies nothing while one runs, and it waits for the backup's acknowledgement of what it
 * read. The backup's commit requests come on the connection that carries those acknowledgements:
 * the transport thread that reads them must never wait for a transaction of the primary's node
 * (one running alone) nor for acknowledgements (when it ends a request that conflicted), or the
 * backup is dropped from the in-sync set for its silence and its commits fail. Every commit gets
 * through, and the backup stays in sync throughout.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrimaryRunsAloneTest {
    private static final int WRITERS = 4;
    private static final int INCREMENTS = 150;
    private static final int READERS = 2;

    @TempDir
    Path root;

    @Test
    void aBackupsCommitsGetThroughWhileReadersOfThePrimaryRunAlone() throws Exception {
        int ports = FreePorts.pairs(2, 2);
        try (ClusterNode primary = OneNodeCluster.startPeer(ports, root.resolve("d1"), 2);
             ClusterNode backup = OneNodeCluster.startJoiner(ports, root.resolve("d2"), 2)) {
            Heap onPrimary = primary.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long counter = OneNodeCluster.createAccount(onPrimary, 0);
            Heap heap = backup.openHeap(OneNodeCluster.bank(root.resolve("d2")));
            awaitInSync(primary, "n2");
            long epoch = primary.state().heaps().get("bank").epoch();

            AtomicInteger writersLeft = new AtomicInteger(WRITERS);
            AtomicInteger mostRuns = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(WRITERS + READERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < WRITERS; t++) {
                    done.add(threads.submit(() -> {
                        try {
                            for (int i = 0; i < INCREMENTS; i++) {
                                heap.transaction(() -> heap.putLong(counter, heap.getLong(counter) + 1));
                            }
                        } finally {
                            writersLeft.decrementAndGet();
                        }
                    }));
                }
                for (int t = 0; t < READERS; t++) {
                    done.add(threads.submit(() -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                        while (writersLeft.get() > 0 && System.nanoTime() < deadline) {
                            AtomicInteger runs = new AtomicInteger();
                            onPrimary.transaction(() -> {
                                long before = onPrimary.getLong(counter);
                                if (runs.incrementAndGet() <= TransactionManager.RUN_ALONE_AFTER) {
                                    // Long enough for a backup's commit to land in between: this run loses.
                                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                                }
                                // Alone, it ends at once: what it saw is then often not acknowledged yet.
                                return onPrimary.getLong(counter) - before;
                            });
                            mostRuns.accumulateAndGet(runs.get(), Math::max);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(90, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertEquals(WRITERS * INCREMENTS, onPrimary.transaction(() -> onPrimary.getLong(counter)));
            assertEquals(epoch, primary.state().heaps().get("bank").epoch(), "the backup was never dropped");
            assertTrue(mostRuns.get() > TransactionManager.RUN_ALONE_AFTER,
                    "no reader ran alone (most runs of one: " + mostRuns + "): the test proved nothing");
        }
    }

    private static void awaitInSync(ClusterNode primary, String backup) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!primary.state().heaps().get("bank").inSync().contains(backup)) {
            assertTrue(System.nanoTime() < deadline, backup + " did not become an in-sync backup within 30 s");
            Thread.sleep(20);
        }
    }
}
