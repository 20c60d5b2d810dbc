package dev.hotpot.samples.bank;

import dev.hotpot.Persistent;
import dev.hotpot.Transactional;
import dev.hotpot.collections.PersistentMap;

/**
 * A bank whose accounts live in a persistent map. Each public operation is one durable
 * transaction: a transfer is all-or-nothing even if the process dies in the middle, and
 * concurrent transfers never lose money.
 */
@Persistent
public class Bank {
    private final PersistentMap<String, Account> accounts = new PersistentMap<>();
    private long transfers;
    private int runs;

    /** Opens {@code count} accounts with {@code initial} each (one transaction). */
    @Transactional
    public void open(int count, long initial) {
        for (int i = 0; i < count; i++) {
            String owner = ownerOf(i);
            accounts.put(owner, new Account(owner, initial));
        }
    }

    /** Moves {@code amount} unless {@code from} has less; returns whether it moved. */
    @Transactional
    public boolean transfer(String from, String to, long amount) {
        Account source = accounts.get(from);
        Account target = accounts.get(to);
        if (source == null || target == null) {
            throw new IllegalArgumentException("no account " + (source == null ? from : to));
        }
        if (source.balance() < amount) {
            return false;
        }
        source.add(-amount);
        target.add(amount);
        return true;
    }

    /** Adds a run's committed transfers to the bank's count and returns the new run number. */
    @Transactional
    public int startRun() {
        return ++runs;
    }

    @Transactional
    public void recordTransfers(long count) {
        transfers += count;
    }

    /** The sum of all balances, read in one transaction (a consistent snapshot). */
    @Transactional
    public long total() {
        long sum = 0;
        for (Account account : accounts.values()) {
            sum += account.balance();
        }
        return sum;
    }

    public int size() {
        return accounts.size();
    }

    public long transfers() {
        return transfers;
    }

    public static String ownerOf(int i) {
        return "customer-" + i;
    }
}
