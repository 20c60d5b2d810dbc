package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        int kills = Integer.getInteger("hotpot.crash.kills", 80);
        long seed = Long.getLong("hotpot.crash.seed", System.nanoTime());
        System.out.println("crash test: kills=" + kills + " seed=" + seed + " (rerun with -Dhotpot.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Expected expected = new Expected(seed);
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
            expected.verify(dir, readAcks(ackFile), durability == Durability.SYNC, context);
        }
        System.out.println("crash test: " + kills + " kills (" + checkpointKills + " inside a checkpoint), "
                + expected.totalApplied() + " transactions verified");
        assertTrue(expected.totalApplied() > kills, "the workload made progress: " + expected.totalApplied());
    }

    private static long[] readAcks(Path ackFile) throws IOException {
        long[] acked = new long[THREADS];
        for (String line : Files.readAllLines(ackFile, StandardCharsets.US_ASCII)) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && !parts[1].isEmpty()) {
                int t = Integer.parseInt(parts[0]);
                acked[t] = Math.max(acked[t], Long.parseLong(parts[1]));
            }
        }
        return acked;
    }

    /** The state the heap must hold: last applied k per thread and the balances they imply. */
    private static final class Expected {
        private final long seed;
        private final long[] lastApplied = new long[THREADS];
        private final long[] balances = new long[CrashBank.ACCOUNTS];

        Expected(long seed) {
            this.seed = seed;
            java.util.Arrays.fill(balances, CrashBank.INITIAL);
        }

        long totalApplied() {
            long sum = 0;
            for (long k : lastApplied) {
                sum += k;
            }
            return sum;
        }

        void verify(Path dir, long[] acked, boolean acksAreDurable, String context) {
            try (Heap heap = Heap.open(CrashBank.config(dir, Durability.SYNC))) {
                long bank = heap.root(CrashBank.ROOT);
                if (bank == 0) {
                    assertEquals(0, totalApplied() + acked[0] + acked[1] + acked[2], "bank vanished: " + context);
                    return;
                }
                heap.transaction(() -> {
                    for (int t = 0; t < THREADS; t++) {
                        long slot = CrashBank.thread(bank, t);
                        long last = heap.getLong(slot + CrashBank.LAST_APPLIED);
                        assertTrue(last >= lastApplied[t], "thread " + t + " lost committed transactions: had "
                                + lastApplied[t] + " now " + last + " " + context);
                        if (acksAreDurable) {
                            assertTrue(last >= acked[t], "thread " + t + " lost acknowledged transaction " + acked[t]
                                    + ", heap has " + last + " " + context);
                        }
                        assertTrue(last <= Math.max(lastApplied[t], acked[t]) + 1, "thread " + t + " has " + last
                                + " but at most one unacknowledged commit can exist after " + acked[t] + " " + context);
                        for (long k = lastApplied[t] + 1; k <= last; k++) {
                            for (CrashBank.Transfer transfer : CrashBank.transfers(seed, t, k)) {
                                balances[transfer.from()] -= transfer.amount();
                                balances[transfer.to()] += transfer.amount();
                            }
                        }
                        lastApplied[t] = last;
                        checkReceipts(heap, slot, t, last, context);
                    }
                    long total = 0;
                    for (int i = 0; i < CrashBank.ACCOUNTS; i++) {
                        long balance = heap.getLong(CrashBank.account(bank, i));
                        assertEquals(balances[i], balance, "account " + i + " is not the replay of the committed transfers " + context);
                        total += balance;
                    }
                    assertEquals(CrashBank.INITIAL * CrashBank.ACCOUNTS, total, "money created or destroyed " + context);
                });
            }
        }

        private void checkReceipts(Heap heap, long slot, int t, long last, String context) {
            long count = heap.getLong(slot + CrashBank.RECEIPT_COUNT);
            assertEquals(Math.min(last, CrashBank.RECEIPTS_KEPT), count, "receipt count of thread " + t + " " + context);
            Set<Long> seen = new HashSet<>();
            long receipt = heap.getLong(slot + CrashBank.RECEIPT_HEAD);
            for (long i = 0; i < count; i++) {
                long k = last - i;
                assertTrue(receipt != 0 && seen.add(receipt), "receipt list of thread " + t + " broken at " + i + " " + context);
                assertTrue(heap.usableSize(receipt) >= 24, "receipt is an allocated block " + context);
                assertEquals(k, heap.getLong(receipt + 8), "receipt k of thread " + t + " " + context);
                assertEquals(CrashBank.amountSum(CrashBank.transfers(seed, t, k)), heap.getLong(receipt + 16),
                        "receipt amount of thread " + t + " k=" + k + " " + context);
                receipt = heap.getLong(receipt);
            }
            assertEquals(0, receipt, "receipt list of thread " + t + " longer than " + count + " " + context);
        }
    }
}
