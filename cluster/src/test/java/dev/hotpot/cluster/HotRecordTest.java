package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.testing.FreePorts;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads of a node that is not the primary (here not a replica either) increment one counter: every transaction's
 * commit travels to the primary and conflicts with its neighbours' there. With few attempts
 * allowed, none may give up: a transaction that keeps losing takes the node's exclusive turn
 * ({@code NodeTurns}), after which only other nodes could make it lose. Nor may one give up while
 * the primary's own threads, which need no round trip, increment the counter without pause: the
 * primary then holds its commits back for the losing transaction's next attempt.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HotRecordTest {
    private static final int THREADS = 16;
    private static final int INCREMENTS = 40;
    private static final int MAX_ATTEMPTS = 8;
    private static final int PRIMARY_THREADS = 2;
    private static final int SECOND_THREADS = 4;

    @TempDir
    Path root;

    @Test
    void threadsOfABackupThatUpdateOneRecordAllGetThrough() throws Exception {
        int ports = FreePorts.pairs(2, 2);
        try (ClusterNode primary = OneNodeCluster.startPeer(ports, root.resolve("d1"), 1);
             ClusterNode second = OneNodeCluster.startJoiner(ports, root.resolve("d2"), 1)) {
            Heap onPrimary = primary.openHeap(config(root.resolve("d1")));
            long counter = OneNodeCluster.createAccount(onPrimary, 0);
            Heap heap = second.openHeap(config(root.resolve("d2")));
            assertEquals(false, second.isPrimary("bank"), "the threads must commit through another node");

            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < INCREMENTS; i++) {
                            heap.transaction(() -> heap.putLong(counter, heap.getLong(counter) + 1));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(90, TimeUnit.SECONDS); // a TransactionConflictException fails the test here
                }
            } finally {
                threads.shutdownNow();
            }
            assertEquals(THREADS * INCREMENTS, heap.transaction(() -> heap.getLong(counter)));
            assertEquals(THREADS * INCREMENTS, onPrimary.transaction(() -> onPrimary.getLong(counter)));
        }
    }

    @Test
    void aNodeGetsThroughWhileThePrimarysOwnThreadsUpdateTheRecord() throws Exception {
        int ports = FreePorts.pairs(2, 2);
        try (ClusterNode primary = OneNodeCluster.startPeer(ports, root.resolve("d1"), 1);
             ClusterNode second = OneNodeCluster.startJoiner(ports, root.resolve("d2"), 1)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Heap onPrimary = primary.openHeap(HeapConfig.builder(root.resolve("d1"), "bank").size(4L << 20)
                    .maxAttempts(MAX_ATTEMPTS).meterRegistry(meters).build());
            long counter = OneNodeCluster.createAccount(onPrimary, 0);
            Heap heap = second.openHeap(config(root.resolve("d2")));
            AtomicBoolean secondDone = new AtomicBoolean();
            ExecutorService threads = Executors.newFixedThreadPool(PRIMARY_THREADS + SECOND_THREADS);
            try {
                List<Future<Integer>> onPrimaryDone = new ArrayList<>();
                for (int t = 0; t < PRIMARY_THREADS; t++) {
                    // Local commits, with no round trip: each lands before a commit of the other node can.
                    onPrimaryDone.add(threads.submit(() -> {
                        int increments = 0;
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                        while (!secondDone.get() && System.nanoTime() < end) {
                            onPrimary.transaction(() -> onPrimary.putLong(counter, onPrimary.getLong(counter) + 1));
                            increments++;
                        }
                        return increments;
                    }));
                }
                List<Future<?>> fromSecond = new ArrayList<>();
                for (int t = 0; t < SECOND_THREADS; t++) {
                    fromSecond.add(threads.submit(() -> {
                        for (int i = 0; i < INCREMENTS; i++) {
                            heap.transaction(() -> heap.putLong(counter, heap.getLong(counter) + 1));
                        }
                    }));
                }
                try {
                    for (Future<?> f : fromSecond) {
                        f.get(90, TimeUnit.SECONDS); // a TransactionConflictException fails the test here
                    }
                } finally {
                    secondDone.set(true);
                }
                int total = SECOND_THREADS * INCREMENTS;
                for (Future<Integer> f : onPrimaryDone) {
                    total += f.get(90, TimeUnit.SECONDS);
                }
                assertEquals(total, onPrimary.transaction(() -> onPrimary.getLong(counter)));
                StringBuilder holds = new StringBuilder();
                long held = 0;
                for (Timer hold : meters.find("hotpot.cluster.commit.holds").timers()) {
                    held += hold.count();
                    holds.append(' ').append(hold.getId().getTag("outcome")).append('=').append(hold.count());
                }
                assertTrue(held > 0, "the primary never held its commits back for the other node:" + holds);
                System.out.println("hot-record test: the other node's threads got " + SECOND_THREADS * INCREMENTS
                        + " increments through while the primary's threads made " + (total - SECOND_THREADS * INCREMENTS)
                        + "; holds:" + holds);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static HeapConfig config(Path dir) {
        return HeapConfig.builder(dir, "bank").size(4L << 20).maxAttempts(MAX_ATTEMPTS).build();
    }
}
