package dev.hotpot.crash;

import dev.hotpot.heap.Heap;
import dev.hotpot.testing.BankState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link CrashBank} as the checks read it; its receipts must be distinct allocated blocks. */
record HeapBankState(Heap heap) implements BankState {
    private long bank() {
        return heap.root(CrashBank.ROOT);
    }

    @Override
    public boolean exists() {
        return bank() != 0;
    }

    @Override
    public long lastApplied(int thread) {
        return heap.getLong(CrashBank.thread(bank(), thread) + CrashBank.LAST_APPLIED);
    }

    @Override
    public long balance(int account) {
        return heap.getLong(CrashBank.account(bank(), account));
    }

    @Override
    public List<long[]> receipts(int thread) {
        long slot = CrashBank.thread(bank(), thread);
        long count = heap.getLong(slot + CrashBank.RECEIPT_COUNT);
        List<long[]> receipts = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long receipt = heap.getLong(slot + CrashBank.RECEIPT_HEAD);
        for (long i = 0; i < count; i++) {
            assertTrue(receipt != 0 && seen.add(receipt), "receipt list of thread " + thread + " broken at " + i);
            assertTrue(heap.usableSize(receipt) >= 24, "receipt is an allocated block");
            receipts.add(new long[]{heap.getLong(receipt + 8), heap.getLong(receipt + 16)});
            receipt = heap.getLong(receipt);
        }
        assertEquals(0, receipt, "receipt list of thread " + thread + " longer than its count " + count);
        return receipts;
    }
}
