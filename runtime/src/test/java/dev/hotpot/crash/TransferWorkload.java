package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.testing.AckLog;
import dev.hotpot.testing.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM of the crash tests: runs {@link CrashBank} transactions on several threads until it is
 * killed, and appends "t k" to the ack file after each commit returns.
 *
 * <p>Arguments: dir durability seed threads ackFile pauseInCheckpoint. Prints {@code READY} once
 * the bank exists; with pauseInCheckpoint, prints {@code CHECKPOINT from to} between a
 * checkpoint's image force and its header write, and stalls there to be killed.
 */
public final class TransferWorkload {
    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        Path dir = Path.of(args[0]);
        Durability durability = Durability.parse(args[1]);
        long seed = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path ackFile = Path.of(args[4]);
        boolean pauseInCheckpoint = Boolean.parseBoolean(args[5]);

        HeapConfig.Builder config = CrashBank.builder(dir, durability);
        if (pauseInCheckpoint) {
            config.checkpointListener((from, to) -> {
                System.out.println("CHECKPOINT " + from + " " + to);
                System.out.flush();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Heap heap = Heap.open(config.build());
        long bank = CrashBank.openOrCreate(heap, threads);
        try (AckLog acks = new AckLog(ackFile)) {
            System.out.println("READY");
            System.out.flush();
            acks.runWorkers(threads, thread -> heap.getLong(CrashBank.thread(bank, thread) + CrashBank.LAST_APPLIED),
                    (thread, k) -> CrashBank.apply(heap, bank, seed, thread, k));
        }
    }
}
