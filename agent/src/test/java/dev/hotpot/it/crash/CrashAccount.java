package dev.hotpot.it.crash;

import dev.hotpot.Persistent;

@Persistent
public class CrashAccount {
    public long balance;

    public CrashAccount(long balance) {
        this.balance = balance;
    }
}
