package dev.hotpot.samples.bank;

import dev.hotpot.Persistent;

/** A bank account: plain fields, stored in the heap by the agent. */
@Persistent
public class Account {
    private final String owner;
    private long balance;

    public Account(String owner, long balance) {
        this.owner = owner;
        this.balance = balance;
    }

    public String owner() {
        return owner;
    }

    public long balance() {
        return balance;
    }

    void add(long amount) {
        balance += amount;
    }
}
