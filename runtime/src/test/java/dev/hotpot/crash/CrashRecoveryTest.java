package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.CrashExpectations;
import dev.hotpot.testing.CrashPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM running concurrent transfers with {@code kill -9} at random moments, including
 * inside checkpoints, and after each kill checks that the reopened heap holds exactly the committed
 * transactions: every acknowledged one, none in part, and balances, receipts and allocations equal
 * to a replay of exactly those transactions. {@code -Dhotpot.crash.kills=N} sets the number of
 * kills (default 80).
 */
class CrashRecoveryTest {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void recoversExactlyTheCommittedTransfersAfterEveryKill() throws Exception {
        CrashPlan plan = CrashPlan.fromProperties("crash test", "hotpot.crash.kills", 80);
        int kills = plan.kills();
        long seed = plan.seed();
        Random random = plan.random();
        CrashExpectations expected = new CrashExpectations(seed, THREADS);
        int checkpointKills = 0;
        for (int cycle = 0; cycle < kills; cycle++) {
            boolean inCheckpoint = cycle % 10 == 9;
            Durability durability = cycle % 8 == 5 ? Durability.ASYNC : Durability.SYNC;
            Path ackFile = dir.resolve("acks-" + cycle);
            Files.createFile(ackFile);
            try (ChildJvm child = ChildJvm.start(TransferWorkload.class, dir.toString(), durability.name(),
                    Long.toString(seed), Integer.toString(THREADS), ackFile.toString(), Boolean.toString(inCheckpoint))) {
                child.await("READY", Duration.ofSeconds(60));
                if (inCheckpoint) {
                    child.await("CHECKPOINT", Duration.ofSeconds(60));
                    checkpointKills++;
                } else {
                    Thread.sleep(random.nextInt(300));
                }
                child.kill();
            }
            String context = "cycle=" + cycle + " durability=" + durability + " inCheckpoint=" + inCheckpoint + " seed=" + seed;
            long[] acked = CrashExpectations.readAcks(ackFile, THREADS);
            try (Heap heap = Heap.open(CrashBank.config(dir, Durability.SYNC))) {
                heap.transaction(() -> expected.verify(new HeapBankState(heap), acked, durability == Durability.SYNC, context));
            }
        }
        System.out.println("crash test: " + kills + " kills (" + checkpointKills + " inside a checkpoint), "
                + expected.totalApplied() + " transactions verified");
        assertTrue(expected.totalApplied() > kills, "the workload made progress: " + expected.totalApplied());
    }
}
