package dev.hotpot.it.model;

import dev.hotpot.Persistent;
import dev.hotpot.Transactional;

import java.io.IOException;

/** An account with transactional operations of several shapes (instance, static, checked exceptions). */
@Persistent
public class Account {
    public String owner;
    public long balance;
    public int version;

    public Account(String owner, long balance) {
        this.owner = owner;
        this.balance = balance;
    }

    @Transactional
    public static long transfer(Account from, Account to, long amount) {
        from.withdraw(amount);
        to.balance += amount;
        return from.balance;
    }

    @Transactional
    public void withdraw(long amount) {
        if (amount > balance) {
            throw new IllegalStateException("insufficient funds: balance=" + balance + " amount=" + amount);
        }
        balance -= amount;
        version++;
    }

    /** Changes the balance, then fails with a checked exception: the change must roll back. */
    @Transactional
    public void depositThenFail(long amount) throws IOException {
        balance += amount;
        throw new IOException("disk said no");
    }

    @Transactional
    public double interest(double rate, int years, char mode, boolean compound) {
        double result = balance;
        for (int y = 0; y < years; y++) {
            result = compound ? result * (1 + rate) : result + balance * rate;
        }
        return mode == 'F' ? Math.floor(result) : result;
    }
}
