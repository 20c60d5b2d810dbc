package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;

import dev.hotpot.testing.TransferPlan;

import java.nio.file.Path;

/**
 * The {@link TransferPlan} bank on the runtime API, which crash tests kill and check.
 *
 * <pre>
 * bank block: long accounts; long threads; ...; account i at 64 + 512 i (8 per page);
 *             thread t at threadBase + 4096 t: long lastApplied; long receiptHead; long receipts
 * receipt:    long next; long k; long amountSum
 * </pre>
 */
final class CrashBank {
    static final String ROOT = "crash-bank";
    static final int ACCOUNTS = TransferPlan.ACCOUNTS;
    private static final int RECEIPTS_KEPT = TransferPlan.RECEIPTS_KEPT;
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
        return builder(dir, durability).build();
    }

    static HeapConfig.Builder builder(Path dir, Durability durability) {
        return HeapConfig.builder(dir, "crash").size(16L << 20).logSegmentBytes(64 << 10)
                .checkpointLogBytes(128 << 10).durability(durability);
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
                    heap.putLong(account(bank, i), TransferPlan.INITIAL);
                }
                heap.setRoot(ROOT, bank);
            }
            return bank;
        });
    }

    /** Runs transaction k of thread t: must be called with lastApplied == k - 1. */
    static void apply(Heap heap, long bank, long seed, int t, long k) {
        heap.transaction(() -> {
            long slot = thread(bank, t);
            long last = heap.getLong(slot + LAST_APPLIED);
            if (last != k - 1) {
                throw new IllegalStateException("thread " + t + " applies " + k + " after " + last);
            }
            TransferPlan.Transfer[] transfers = TransferPlan.transfers(seed, t, k);
            for (TransferPlan.Transfer transfer : transfers) {
                long from = account(bank, transfer.from());
                long to = account(bank, transfer.to());
                heap.putLong(from, heap.getLong(from) - transfer.amount());
                heap.putLong(to, heap.getLong(to) + transfer.amount());
            }
            long receipt = heap.allocate(24);
            heap.putLong(receipt, heap.getLong(slot + RECEIPT_HEAD));
            heap.putLong(receipt + 8, k);
            heap.putLong(receipt + 16, TransferPlan.amountSum(transfers));
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
