package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.log.RedoLog;
import dev.hotpot.testing.FreePorts;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.transport.InboundHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node outside the in-sync set that hangs (it stops reading its connection) must not hold the
 * primary's shipping thread, which serves every subscriber, nor keep the primary's log from being
 * released: once records have waited in its socket for five backupTimeouts, the primary
 * disconnects it, and goes on committing; the thread that was sending to it parks. The same holds
 * for a node that hangs while it takes the heap's image. One that only pauses during its image
 * gets every record after the image's tail, however much log the primary wrote and checkpointed
 * meanwhile: the log is kept from there until the node is streamed to.
 */
class StalledSubscriberTest {
    private static final int BLOCK = 128 << 10;
    /** 50 MiB of records: more than the socket buffers of a loopback connection take. */
    private static final int MAX_COMMITS = 400;
    private static final Duration SHIPPER_WINDOW = Duration.ofSeconds(2);
    /** Five backupTimeouts of 1 s, and a margin for a busy machine. */
    private static final Duration DISCONNECT = Duration.ofSeconds(15);
    /** A heap whose image the sockets of a loopback connection cannot hold. */
    private static final long IMAGE_HEAP = 32L << 20;
    /** 125 MiB of records: more than the log kept for its own sake and a checkpoint past it. */
    private static final int MAX_COMMITS_DURING_IMAGE = 1000;

    @TempDir
    Path root;

    @Test
    // In a thread of its own: a commit that helps a shipping loop without end never sees an interrupt.
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHungSubscriberIsDisconnectedAndCommitsGoOn() throws Exception {
        int port = FreePorts.pairs(1, 2);
        try (ClusterNode node = OneNodeCluster.startPeer(port, root.resolve("d1"), 1)) {
            Heap heap = node.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long block = heap.transaction(() -> heap.allocate(BLOCK));
            Primary primary = node.heaps().get("bank").primaryRole();
            RedoLog log = node.heaps().get("bank").log();
            try (RawPeer hung = RawPeer.subscribeStalling("n7", "n1", port, "bank", Messages.RECORDS,
                    (from, frame) -> { })) {
                Subscriber subscribed = awaitSubscribed(primary, "n7");
                int commits = 0;
                // Until its socket is full: then a send to it blocks, and what it was sent stops growing.
                while (log.writtenPosition() - subscribed.position() < 4L * BLOCK) {
                    assertTrue(commits < MAX_COMMITS, "records never waited in the hung node's socket after "
                            + commits + " commits of " + BLOCK + " bytes");
                    write(heap, block, commits++);
                }
                // Small commits go on, so that records keep waiting behind the full socket.
                awaitDisconnected(() -> subscriber(primary, "n7").isEmpty(),
                        () -> heap.transaction(() -> heap.putLong(block, heap.getLong(block) + 1)),
                        "the hung node is still subscribed, after records began to wait in its socket,");
                assertShipperIdle();
                write(heap, block, commits);
                byte[] last = heap.transaction(() -> heap.getBytes(block, BLOCK));
                assertEquals((byte) commits, last[BLOCK - 1], "a commit after the disconnect is applied");
                System.out.println("stalled-subscriber test: records waited in the hung node's socket after "
                        + commits + " commits of " + BLOCK + " bytes; the primary disconnected it");
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNodeHungDuringItsImageIsDisconnected() throws Exception {
        int port = FreePorts.pairs(1, 2);
        try (ClusterNode node = OneNodeCluster.startPeer(port, root.resolve("d1"), 1)) {
            node.openHeap(HeapConfig.builder(root.resolve("d1"), "bank").size(IMAGE_HEAP).build());
            Primary primary = node.heaps().get("bank").primaryRole();
            try (RawPeer hung = RawPeer.subscribeStalling("n7", "n1", port, "bank", Messages.IMAGE,
                    (from, frame) -> { })) {
                awaitJoining(primary, "n7");
                awaitDisconnected(() -> !primary.joining().contains("n7"), () -> { },
                        "the node hung during its image is still being sent it, since it began,");
                assertTrue(subscriber(primary, "n7").isEmpty(), "the hung node was made a subscriber");
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNodePausedDuringItsImageGetsEveryRecordAfterIt() throws Exception {
        int port = FreePorts.pairs(1, 2);
        Path dir = root.resolve("d1");
        Properties settings = OneNodeCluster.settings("n1", OneNodeCluster.peers(port));
        // The pause may last 5 backupTimeouts before the node counts as hung: far longer than the commits take.
        // With no backup, the setting changes nothing else.
        settings.setProperty("hotpot.backupTimeout", "20s");
        RecordsSeen seen = new RecordsSeen();
        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(settings), dir)) {
            Heap heap = node.openHeap(HeapConfig.builder(dir, "bank").size(IMAGE_HEAP).logSegmentBytes(1L << 20)
                    .checkpointLogBytes(4L << 20).build());
            long block = heap.transaction(() -> heap.allocate(BLOCK));
            ClusteredHeap clustered = node.heaps().get("bank");
            Primary primary = clustered.primaryRole();
            RedoLog log = clustered.log();
            try (RawPeer paused = RawPeer.subscribeStalling("n7", "n1", port, "bank", Messages.IMAGE, seen)) {
                awaitJoining(primary, "n7");
                long tail = paused.subscribed().position();
                // Until a checkpoint passed the log every node keeps for its own sake, counted from the tail:
                // the log below the tail would be released now, but for the node taking the image.
                int commits = 0;
                long past = tail + ClusteredHeap.RETAINED_LOG + (8L << 20);
                while (log.writtenPosition() - log.uncheckpointedBytes() < past) {
                    assertTrue(commits < MAX_COMMITS_DURING_IMAGE, "no checkpoint passed the retained log after "
                            + commits + " commits of " + BLOCK + " bytes");
                    write(heap, block, commits++);
                }
                assertTrue(primary.joining().contains("n7"), "the paused node was disconnected");
                paused.resume();
                seen.await(clustered.index().last().sequence(), Duration.ofSeconds(60));
                write(heap, block, commits);
                seen.await(clustered.index().last().sequence(), Duration.ofSeconds(60));
                assertEquals(List.of(), seen.gaps(paused.subscribed().sequence()),
                        "the records after the image's tail follow on from it and from each other");
                assertTrue(subscriber(primary, "n7").isPresent(), "the paused node is streamed to");
                assertNull(clustered.manager().failure(), "the primary's copy is usable");
                System.out.println("stalled-subscriber test: " + commits + " commits of " + BLOCK + " bytes during a"
                        + " paused image, all streamed after it");
            }
        }
    }

    /** What a raw peer is streamed: each RECORDS frame's previous sequence and its records' sequences. */
    private static final class RecordsSeen implements InboundHandler {
        private final List<long[]> frames = new ArrayList<>();
        private long last = -1;

        @Override
        public synchronized void onFrame(Connection from, Frame frame) {
            if (frame.type() != Messages.RECORDS) {
                return;
            }
            Messages.Records decoded = Messages.Records.decode(frame.payload());
            long[] sequences = new long[decoded.entries().size() + 1];
            sequences[0] = decoded.prevSequence();
            for (int i = 0; i < decoded.entries().size(); i++) {
                sequences[i + 1] = decoded.entries().get(i).sequence();
            }
            frames.add(sequences);
            last = Math.max(last, sequences[sequences.length - 1]);
            notifyAll();
        }

        /** Waits until the record with {@code sequence} came. */
        synchronized void await(long sequence, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (last < sequence) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "the node was streamed records up to sequence " + last + ", not " + sequence
                        + ", the primary's last, within " + timeout + " after its image");
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /**
         * Where the stream does not follow on: a frame whose previous sequence is not the last one
         * before it (the image's tail, {@code start}, for the first), or records out of order.
         */
        synchronized List<String> gaps(long start) {
            List<String> gaps = new ArrayList<>();
            long last = start;
            for (long[] frame : frames) {
                if (frame[0] != last) {
                    gaps.add("a frame after sequence " + frame[0] + " where " + last + " was the last");
                }
                for (int i = 1; i < frame.length; i++) {
                    if (frame[i] <= frame[i - 1]) {
                        gaps.add("sequence " + frame[i] + " after " + frame[i - 1]);
                    }
                }
                last = frame[frame.length - 1];
            }
            return gaps;
        }
    }

    /** Runs {@code meanwhile} every 50 ms until {@code gone} holds, at most {@link #DISCONNECT}. */
    private static void awaitDisconnected(BooleanSupplier gone, Runnable meanwhile, String failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + DISCONNECT.toNanos();
        while (!gone.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure + " " + DISCONNECT + " later");
            meanwhile.run();
            Thread.sleep(50);
        }
    }

    private static void awaitJoining(Primary primary, String node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!primary.joining().contains(node)) {
            assertTrue(System.nanoTime() < deadline, node + " was not being sent an image within 30 s");
            Thread.sleep(20);
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
