package dev.hotpot.it.crash;

import dev.hotpot.Hotpot;
import dev.hotpot.Persistent;
import dev.hotpot.Transactional;
import dev.hotpot.collections.PersistentArray;
import dev.hotpot.testing.TransferPlan;

/**
 * The {@link TransferPlan} bank written as a user would: annotated classes, a persistent array
 * of accounts, strings, allocation and free, and one {@code @Transactional} method per step.
 */
@Persistent
public class Vault {
    public PersistentArray<CrashAccount> accounts;
    public PersistentArray<Teller> tellers;

    public Vault(int threads) {
        accounts = new PersistentArray<>(TransferPlan.ACCOUNTS);
        for (int i = 0; i < TransferPlan.ACCOUNTS; i++) {
            accounts.set(i, new CrashAccount(TransferPlan.INITIAL));
        }
        tellers = new PersistentArray<>(threads);
        for (int t = 0; t < threads; t++) {
            tellers.set(t, new Teller());
        }
    }

    /** Runs transaction k of thread t: must be called with the teller's lastApplied == k - 1. */
    @Transactional
    public void apply(long seed, int t, long k) {
        Teller teller = tellers.get(t);
        if (teller.lastApplied != k - 1) {
            throw new IllegalStateException("thread " + t + " applies " + k + " after " + teller.lastApplied);
        }
        TransferPlan.Transfer[] transfers = TransferPlan.transfers(seed, t, k);
        for (TransferPlan.Transfer transfer : transfers) {
            accounts.get(transfer.from()).balance -= transfer.amount();
            accounts.get(transfer.to()).balance += transfer.amount();
        }
        teller.receipts = new Receipt(teller.receipts, k, TransferPlan.amountSum(transfers));
        if (++teller.receiptCount > TransferPlan.RECEIPTS_KEPT) {
            Receipt keep = teller.receipts;
            for (int i = 1; i < TransferPlan.RECEIPTS_KEPT; i++) {
                keep = keep.next;
            }
            Hotpot.free(keep.next);
            keep.next = null;
            teller.receiptCount = TransferPlan.RECEIPTS_KEPT;
        }
        teller.lastApplied = k;
    }
}
