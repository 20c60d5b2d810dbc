package dev.hotpot.testing;

import java.util.List;

/**
 * What a crash test reads back from a recovered bank of {@link TransferPlan}, whichever API
 * stored it. Implementations read inside one transaction.
 */
public interface BankState {
    /** Whether the bank exists at all (it is created by the child's first transaction). */
    boolean exists();

    long lastApplied(int thread);

    long balance(int account);

    /** The thread's receipts, newest first, as {k, amountSum}; each must be a live, distinct block. */
    List<long[]> receipts(int thread);
}
