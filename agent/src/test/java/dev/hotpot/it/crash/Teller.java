package dev.hotpot.it.crash;

import dev.hotpot.Persistent;

/** One worker thread's progress: its last applied transaction and its newest receipts. */
@Persistent
public class Teller {
    public long lastApplied;
    public Receipt receipts;
    public int receiptCount;
}
