package dev.hotpot.benchmarks.cluster;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.Pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The plain baselines the cluster figures are divided by, measured in the harness's own run:
 * a raw force of a small append, N such forces at once on N files, a single-node {@code SYNC}
 * commit, and a loopback TCP round trip to another JVM.
 *
 * <p>Threading: each method runs on the caller's thread (plus the threads it starts and joins).
 */
final class Baselines {
    /** Bytes per raw append: about a one-page commit record. */
    static final int APPEND_BYTES = 128;
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

    private Baselines() {
    }

    /** {@code count} appends of {@value #APPEND_BYTES} bytes to a new file in {@code directory}, each followed by {@code force(false)}. */
    static Samples rawForce(Path directory, int warmup, int count) {
        try (FileChannel channel = FileChannel.open(directory.resolve("raw-force.bin"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocateDirect(APPEND_BYTES);
            Samples samples = new Samples(count);
            for (int i = 0; i < warmup + count; i++) {
                long start = System.nanoTime();
                appendAndForce(channel, record, i);
                long nanos = System.nanoTime() - start;
                if (i >= warmup) {
                    samples.add(nanos);
                }
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException("raw force in " + directory + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Rounds of {@code n} appends-and-forces at once, one thread and one file each: all threads
     * are released together and the round ends when the last force returns.
     */
    static Samples concurrentForces(Path directory, int n, int warmup, int count) {
        CyclicBarrier go = new CyclicBarrier(n + 1);
        CyclicBarrier done = new CyclicBarrier(n + 1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < n; t++) {
            Path file = directory.resolve("concurrent-" + n + "-" + t + ".bin");
            threads.add(Thread.ofPlatform().daemon().name("force-" + t).start(() -> {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer record = ByteBuffer.allocateDirect(APPEND_BYTES);
                    for (int i = 0; i < warmup + count; i++) {
                        go.await(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        appendAndForce(channel, record, i);
                        done.await(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    }
                } catch (IOException | InterruptedException | BrokenBarrierException | TimeoutException e) {
                    failures.add(e);
                    go.reset();
                    done.reset();
                }
            }));
        }
        Samples samples = new Samples(count);
        try {
            for (int i = 0; i < warmup + count; i++) {
                go.await(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                long start = System.nanoTime();
                done.await(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                long nanos = System.nanoTime() - start;
                if (i >= warmup) {
                    samples.add(nanos);
                }
            }
            for (Thread thread : threads) {
                thread.join(ROUND_TIMEOUT.toMillis());
            }
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException(n + " concurrent forces in " + directory + " failed: " + e
                    + (failures.isEmpty() ? "" : " (a thread failed: " + failures.getFirst() + ")"), e);
        }
        return samples;
    }

    private static void appendAndForce(FileChannel channel, ByteBuffer record, long value) throws IOException {
        record.clear();
        record.putLong(0, value);
        while (record.hasRemaining()) {
            channel.write(record);
        }
        channel.force(false);
    }

    /** Sequential {@code SYNC} commits on a local single-node heap, each changing one long on {@code pages} pages. */
    static Samples singleNodeCommit(Path directory, int pages, int warmup, int count) {
        try (Heap heap = Heap.open(HeapConfig.builder(directory, "single-" + pages).size(32L << 20)
                .durability(Durability.SYNC).build())) {
            long raw = heap.transaction(() -> heap.allocate((long) (pages + 1) * Pages.SIZE));
            long first = (raw + Pages.OFFSET_MASK) & ~Pages.OFFSET_MASK;
            long[] value = {0};
            Runnable dirty = () -> {
                value[0]++;
                for (int i = 0; i < pages; i++) {
                    heap.putLong(first + (long) i * Pages.SIZE, value[0]);
                }
            };
            Samples samples = new Samples(count);
            for (int i = 0; i < warmup + count; i++) {
                long start = System.nanoTime();
                heap.transaction(dirty);
                long nanos = System.nanoTime() - start;
                if (i >= warmup) {
                    samples.add(nanos);
                }
            }
            return samples;
        }
    }

    /** Round trips of 64 bytes over loopback TCP (no Nagle) to an {@link EchoServer} in a child JVM. */
    static Samples tcpRoundTrip(Path log, int warmup, int count) {
        try (NodeProcess echo = NodeProcess.start("echo", List.of(), EchoServer.class, List.of("600"), log)) {
            int port = Integer.parseInt(NodeProcess.fields(echo.nextAnswer("start", Duration.ofSeconds(60))).get("port"));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) ROUND_TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                byte[] message = new byte[64];
                Samples samples = new Samples(count);
                for (int i = 0; i < warmup + count; i++) {
                    message[0] = (byte) i;
                    long start = System.nanoTime();
                    out.write(message);
                    int received = 0;
                    while (received < message.length) {
                        int n = in.read(message, received, message.length - received);
                        if (n < 0) {
                            throw new IOException("the echo server closed the connection");
                        }
                        received += n;
                    }
                    long nanos = System.nanoTime() - start;
                    if (i >= warmup) {
                        samples.add(nanos);
                    }
                }
                return samples;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("loopback round trip failed: " + e.getMessage() + "; log " + log, e);
        }
    }
}
