package dev.hotpot.testing;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state a crashed and recovered {@link TransferPlan} bank must hold: every acknowledged
 * transaction, at most one unacknowledged one per thread, none in part, balances equal to a
 * replay of exactly the applied transactions, and exact receipt lists.
 *
 * <p>Not thread-safe: one test thread checks after each kill.
 */
public final class CrashExpectations {
    private final long seed;
    private final long[] lastApplied;
    private final long[] balances = new long[TransferPlan.ACCOUNTS];

    public CrashExpectations(long seed, int threads) {
        this.seed = seed;
        this.lastApplied = new long[threads];
        Arrays.fill(balances, TransferPlan.INITIAL);
    }

    public long totalApplied() {
        return Arrays.stream(lastApplied).sum();
    }

    /**
     * @param acked          highest k per thread whose commit returned before the kill
     * @param acksAreDurable whether a returned commit must survive (sync durability)
     */
    public void verify(BankState bank, long[] acked, boolean acksAreDurable, String context) {
        if (!bank.exists()) {
            assertEquals(0, totalApplied() + Arrays.stream(acked).sum(), "bank vanished: " + context);
            return;
        }
        for (int t = 0; t < lastApplied.length; t++) {
            int thread = t;
            long last = bank.lastApplied(t);
            advanceThread(t, last, lastApplied, acked, acksAreDurable, context, k -> {
                for (TransferPlan.Transfer transfer : TransferPlan.transfers(seed, thread, k)) {
                    balances[transfer.from()] -= transfer.amount();
                    balances[transfer.to()] += transfer.amount();
                }
            });
            checkReceipts(bank.receipts(t), t, last, context);
        }
        long total = 0;
        for (int i = 0; i < TransferPlan.ACCOUNTS; i++) {
            long balance = bank.balance(i);
            assertEquals(balances[i], balance, "account " + i + " is not the replay of the committed transfers " + context);
            total += balance;
        }
        assertEquals(TransferPlan.INITIAL * TransferPlan.ACCOUNTS, total, "money created or destroyed " + context);
    }

    /**
     * Checks the recovered progress of one thread of a crash test and advances the model by it:
     * {@code last}, the highest k of thread {@code t} found committed, keeps every transaction
     * found before ({@code lastApplied[t]}), every acknowledged one ({@code acked[t]}) when
     * {@code acksAreDurable}, and adds at most one unacknowledged commit. Then passes
     * {@code lastApplied[t] + 1 .. last} to {@code applyToModel} in order and records {@code last}
     * in {@code lastApplied[t]}.
     */
    public static void advanceThread(int t, long last, long[] lastApplied, long[] acked, boolean acksAreDurable,
                                     String context, LongConsumer applyToModel) {
        assertTrue(last >= lastApplied[t], "thread " + t + " lost committed transactions: had "
                + lastApplied[t] + " now " + last + " " + context);
        if (acksAreDurable) {
            assertTrue(last >= acked[t], "thread " + t + " lost acknowledged transaction " + acked[t]
                    + ", heap has " + last + " " + context);
        }
        assertTrue(last <= Math.max(lastApplied[t], acked[t]) + 1, "thread " + t + " has " + last
                + " but at most one unacknowledged commit can exist after " + acked[t] + " " + context);
        for (long k = lastApplied[t] + 1; k <= last; k++) {
            applyToModel.accept(k);
        }
        lastApplied[t] = last;
    }

    private void checkReceipts(List<long[]> receipts, int t, long last, String context) {
        assertEquals(Math.min(last, TransferPlan.RECEIPTS_KEPT), receipts.size(), "receipt count of thread " + t + " " + context);
        for (int i = 0; i < receipts.size(); i++) {
            long k = last - i;
            assertEquals(k, receipts.get(i)[0], "receipt k of thread " + t + " " + context);
            assertEquals(TransferPlan.amountSum(TransferPlan.transfers(seed, t, k)), receipts.get(i)[1],
                    "receipt amount of thread " + t + " k=" + k + " " + context);
        }
    }

    /** Reads the "t k" lines a child appends after each returned commit: the highest k per thread. */
    public static long[] readAcks(java.nio.file.Path ackFile, int threads) throws java.io.IOException {
        long[] acked = new long[threads];
        for (String line : java.nio.file.Files.readAllLines(ackFile, java.nio.charset.StandardCharsets.US_ASCII)) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && !parts[1].isEmpty()) {
                int t = Integer.parseInt(parts[0]);
                acked[t] = Math.max(acked[t], Long.parseLong(parts[1]));
            }
        }
        return acked;
    }
}
