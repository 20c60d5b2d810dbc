package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.AckLog;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.PowerCutStorage;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM of {@link PowerLossTest}: {@link CrashBank} transfers on a heap whose files go through
 * a {@link PowerCutStorage} (configured by its system properties), until it halts itself after
 * its k-th force, is killed, or has run {@code upTo} transactions per thread; then it closes the
 * heap (a last checkpoint) and prints {@code FORCES n}. Each transaction also rewrites
 * {@code padBytes} of a per-thread block outside the bank, so that a short run fills, switches and
 * recycles log segments.
 *
 * <p>Arguments: dir durability seed threads ackFile upTo checkpointLogBytes padBytes. Prints
 * {@code READY} once the bank exists.
 */
public final class PowerCutWorkload {
    private static final String PAD_ROOT = "pad";

    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        Path dir = Path.of(args[0]);
        Durability durability = Durability.parse(args[1]);
        long seed = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path ackFile = Path.of(args[4]);
        long upTo = Long.parseLong(args[5]);
        long checkpointLogBytes = Long.parseLong(args[6]);
        int padBytes = Integer.parseInt(args[7]);

        PowerCutStorage storage = new PowerCutStorage();
        Heap heap = Heap.open(CrashBank.builder(dir, durability).checkpointLogBytes(checkpointLogBytes)
                .storage(storage).build());
        long bank = CrashBank.openOrCreate(heap, threads);
        long pad = padBytes == 0 ? 0 : heap.transaction(() -> {
            long block = heap.root(PAD_ROOT);
            if (block == 0) {
                block = heap.allocate((long) threads * padBytes);
                heap.setRoot(PAD_ROOT, block);
            }
            return block;
        });
        try (AckLog acks = new AckLog(ackFile)) {
            System.out.println("READY");
            System.out.flush();
            acks.runWorkers(threads, thread -> heap.getLong(CrashBank.thread(bank, thread) + CrashBank.LAST_APPLIED),
                    upTo, (thread, k) -> heap.transaction(() -> {
                        CrashBank.apply(heap, bank, seed, thread, k);
                        if (padBytes > 0) {
                            byte[] bytes = new byte[padBytes];
                            java.util.Arrays.fill(bytes, (byte) k);
                            heap.putBytes(pad + (long) thread * padBytes, bytes);
                        }
                    }));
        }
        heap.close();
        System.out.println("FORCES " + storage.forces());
    }
}
