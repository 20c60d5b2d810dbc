package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The bank that crash tests kill and check. Each worker thread {@code t} runs transactions
 * {@code k = 1, 2, ...}; transaction {@code k} of thread {@code t} is a deterministic function of
 * (seed, t, k): a few unconditional transfers, plus a receipt block allocated and pushed on the
 * thread's receipt list, whose fifth entry is freed. So the exact state after any set of committed
 * transactions is computable from each thread's last applied {@code k}.
 *
 * <pre>
 * bank block: long accounts; long threads; ...; account i at 64 + 512 i (8 per page);
 *             thread t at threadBase + 4096 t: long lastApplied; long receiptHead; long receipts
 * receipt:    long next; long k; long amountSum
 * </pre>
 */
final class CrashBank {
    static final String ROOT = "crash-bank";
    static final int ACCOUNTS = 64;
    static final long INITIAL = 1_000_000;
    static final int RECEIPTS_KEPT = 4;
    private static final long ACCOUNT_BASE = 64;
    private static final long ACCOUNT_STRIDE = 512;
    private static final long THREAD_BASE = ACCOUNT_BASE + ACCOUNTS * ACCOUNT_STRIDE;
    private static final long THREAD_STRIDE = 4096;
    static final long LAST_APPLIED = 0;
    static final long RECEIPT_HEAD = 8;
    static final long RECEIPT_COUNT = 16;

    private CrashBank() {
    }

    static HeapConfig config(Path dir, Durability durability) {
        return HeapConfig.builder(dir, "crash").size(16L << 20).logSegmentBytes(64 << 10)
                .checkpointLogBytes(128 << 10).durability(durability).build();
    }

    static long account(long bank, int i) {
        return bank + ACCOUNT_BASE + i * ACCOUNT_STRIDE;
    }

    static long thread(long bank, int t) {
        return bank + THREAD_BASE + t * THREAD_STRIDE;
    }

    /** Returns the bank, creating it (with {@code threads} thread slots) in one transaction if absent. */
    static long openOrCreate(Heap heap, int threads) {
        return heap.transaction(() -> {
            long bank = heap.root(ROOT);
            if (bank == 0) {
                bank = heap.allocate(THREAD_BASE + threads * THREAD_STRIDE);
                heap.putLong(bank, ACCOUNTS);
                heap.putLong(bank + 8, threads);
                for (int i = 0; i < ACCOUNTS; i++) {
                    heap.putLong(account(bank, i), INITIAL);
                }
                heap.setRoot(ROOT, bank);
            }
            return bank;
        });
    }

    /** One transfer of transaction (t, k): accounts and amount. */
    record Transfer(int from, int to, long amount) {
    }

    static Transfer[] transfers(long seed, int t, long k) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t * 0xBF58476D1CE4E5B9L + k);
        Transfer[] transfers = new Transfer[1 + random.nextInt(3)];
        for (int i = 0; i < transfers.length; i++) {
            transfers[i] = new Transfer(random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS), 1 + random.nextLong(1000));
        }
        return transfers;
    }

    static long amountSum(Transfer[] transfers) {
        long sum = 0;
        for (Transfer transfer : transfers) {
            sum += transfer.amount();
        }
        return sum;
    }

    /** Runs transaction k of thread t: must be called with lastApplied == k - 1. */
    static void apply(Heap heap, long bank, long seed, int t, long k) {
        heap.transaction(() -> {
            long slot = thread(bank, t);
            long last = heap.getLong(slot + LAST_APPLIED);
            if (last != k - 1) {
                throw new IllegalStateException("thread " + t + " applies " + k + " after " + last);
            }
            Transfer[] transfers = transfers(seed, t, k);
            for (Transfer transfer : transfers) {
                long from = account(bank, transfer.from());
                long to = account(bank, transfer.to());
                heap.putLong(from, heap.getLong(from) - transfer.amount());
                heap.putLong(to, heap.getLong(to) + transfer.amount());
            }
            long receipt = heap.allocate(24);
            heap.putLong(receipt, heap.getLong(slot + RECEIPT_HEAD));
            heap.putLong(receipt + 8, k);
            heap.putLong(receipt + 16, amountSum(transfers));
            heap.putLong(slot + RECEIPT_HEAD, receipt);
            long count = heap.getLong(slot + RECEIPT_COUNT) + 1;
            if (count > RECEIPTS_KEPT) {
                long keep = receipt;
                for (int i = 1; i < RECEIPTS_KEPT; i++) {
                    keep = heap.getLong(keep);
                }
                heap.free(heap.getLong(keep));
                heap.putLong(keep, 0);
                count = RECEIPTS_KEPT;
            }
            heap.putLong(slot + RECEIPT_COUNT, count);
            heap.putLong(slot + LAST_APPLIED, k);
        });
    }
}
