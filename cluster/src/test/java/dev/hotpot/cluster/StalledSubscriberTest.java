package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.log.RedoLog;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node outside the in-sync set that hangs (it stops reading its connection) must not hold the
 * primary's shipping thread, which serves every subscriber, nor keep the primary's log from being
 * released: once records have waited in its socket for five backupTimeouts, the primary
 * disconnects it, and goes on committing; the thread that was sending to it parks.
 */
class StalledSubscriberTest {
    private static final int BLOCK = 128 << 10;
    /** 50 MiB of records: more than the socket buffers of a loopback connection take. */
    private static final int MAX_COMMITS = 400;
    private static final Duration SHIPPER_WINDOW = Duration.ofSeconds(2);
    /** Five backupTimeouts of 1 s, and a margin for a busy machine. */
    private static final Duration DISCONNECT = Duration.ofSeconds(15);

    @TempDir
    Path root;

    @Test
    // In a thread of its own: a commit that helps a shipping loop without end never sees an interrupt.
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHungSubscriberIsDisconnectedAndCommitsGoOn() throws Exception {
        int port = FreePorts.pairs(1, 2);
        CountDownLatch resume = new CountDownLatch(1);
        try (ClusterNode node = OneNodeCluster.startPeer(port, root.resolve("d1"), 1)) {
            Heap heap = node.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long block = heap.transaction(() -> heap.allocate(BLOCK));
            Primary primary = node.heaps().get("bank").primaryRole();
            RedoLog log = node.heaps().get("bank").log();
            try (RawPeer hung = RawPeer.subscribeStalling("n7", "n1", port, "bank", resume)) {
                Subscriber subscribed = awaitSubscribed(primary, "n7");
                int commits = 0;
                // Until its socket is full: then a send to it blocks, and what it was sent stops growing.
                while (log.writtenPosition() - subscribed.position() < 4L * BLOCK) {
                    assertTrue(commits < MAX_COMMITS, "records never waited in the hung node's socket after "
                            + commits + " commits of " + BLOCK + " bytes");
                    write(heap, block, commits++);
                }
                // Small commits go on, so that records keep waiting behind the full socket.
                long deadline = System.nanoTime() + DISCONNECT.toNanos();
                while (subscriber(primary, "n7").isPresent()) {
                    assertTrue(System.nanoTime() < deadline, "the hung node is still subscribed " + DISCONNECT
                            + " after records began to wait in its socket");
                    heap.transaction(() -> heap.putLong(block, heap.getLong(block) + 1));
                    Thread.sleep(50);
                }
                assertShipperIdle();
                write(heap, block, commits);
                byte[] last = heap.transaction(() -> heap.getBytes(block, BLOCK));
                assertEquals((byte) commits, last[BLOCK - 1], "a commit after the disconnect is applied");
                System.out.println("stalled-subscriber test: records waited in the hung node's socket after "
                        + commits + " commits of " + BLOCK + " bytes; the primary disconnected it");
            } finally {
                resume.countDown();
            }
        }
    }

    /**
     * The shipping thread, with nothing left to send, must park: one that went on sending to the
     * dropped node's closed connection would use about a core.
     */
    private static void assertShipperIdle() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Thread shipper = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("hotpot-ship-bank")).findFirst().orElseThrow();
        long before = threads.getThreadCpuTime(shipper.threadId());
        Thread.sleep(SHIPPER_WINDOW.toMillis());
        long used = threads.getThreadCpuTime(shipper.threadId()) - before;
        assertTrue(used < SHIPPER_WINDOW.toNanos() / 4, "the shipping thread used " + used / 1_000_000
                + " ms of CPU in " + SHIPPER_WINDOW.toMillis() + " ms with nothing to send");
    }

    /** The subscriber {@code node}, once the primary registered it (after its image), within 30 s. */
    private static Subscriber awaitSubscribed(Primary primary, String node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Optional<Subscriber> found;
        while ((found = subscriber(primary, node)).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, node + " was not subscribed within 30 s");
            Thread.sleep(20);
        }
        return found.get();
    }

    private static Optional<Subscriber> subscriber(Primary primary, String node) {
        return primary.subscribers().stream().filter(s -> s.node().equals(node)).findFirst();
    }

    private static void write(Heap heap, long block, int round) {
        byte[] bytes = new byte[BLOCK];
        Arrays.fill(bytes, (byte) round);
        heap.transaction(() -> heap.putBytes(block, bytes));
    }
}
