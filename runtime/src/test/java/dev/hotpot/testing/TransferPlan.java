package dev.hotpot.testing;

import java.util.SplittableRandom;

/**
 * The deterministic transfer workload of the crash tests. Transaction {@code k} of worker thread
 * {@code t} is a function of (seed, t, k): one to three transfers between {@link #ACCOUNTS}
 * accounts, plus a receipt (k, sum of amounts) pushed on the thread's receipt list, which keeps
 * only the newest {@link #RECEIPTS_KEPT} (the older one is freed). So the exact state after any
 * set of committed transactions is computable from each thread's last applied {@code k}.
 */
public final class TransferPlan {
    public static final int ACCOUNTS = 64;
    public static final long INITIAL = 1_000_000;
    public static final int RECEIPTS_KEPT = 4;

    private TransferPlan() {
    }

    /** One transfer: accounts and amount. */
    public record Transfer(int from, int to, long amount) {
    }

    public static Transfer[] transfers(long seed, int t, long k) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t * 0xBF58476D1CE4E5B9L + k);
        Transfer[] transfers = new Transfer[1 + random.nextInt(3)];
        for (int i = 0; i < transfers.length; i++) {
            transfers[i] = new Transfer(random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS), 1 + random.nextLong(1000));
        }
        return transfers;
    }

    public static long amountSum(Transfer[] transfers) {
        long sum = 0;
        for (Transfer transfer : transfers) {
            sum += transfer.amount();
        }
        return sum;
    }
}
