package dev.hotpot.it.crash;

import dev.hotpot.Persistent;

@Persistent
public class Receipt {
    public Receipt next;
    public long k;
    public long amountSum;
    public String memo;

    public Receipt(Receipt next, long k, long amountSum) {
        this.next = next;
        this.k = k;
        this.amountSum = amountSum;
        this.memo = memoOf(k);
    }

    public static String memoOf(long k) {
        return "receipt №" + k;
    }
}
