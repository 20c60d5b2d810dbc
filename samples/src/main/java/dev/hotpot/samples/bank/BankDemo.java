package dev.hotpot.samples.bank;

import dev.hotpot.Hotpot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bank on plain annotated classes, run with {@code -javaagent:hotpot.jar}: threads make
 * concurrent transfers, each a durable transaction; the total never changes; a second run finds
 * the accounts and balances of the first.
 *
 * <p>Arguments (all optional): accounts threads transfers.
 */
public final class BankDemo {
    private static final long INITIAL_BALANCE = 100_000;

    public static void main(String[] args) throws InterruptedException {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int transfers = args.length > 2 ? Integer.parseInt(args[2]) : 4000;

        Bank bank = Hotpot.root("bank", Bank.class, () -> {
            Bank fresh = new Bank();
            fresh.open(accounts, INITIAL_BALANCE);
            return fresh;
        });
        int run = bank.startRun();
        long before = bank.total();
        System.out.printf(Locale.ROOT, "Run #%d: %d accounts, %d transfers committed by earlier runs, total balance %,d%n",
                run, bank.size(), bank.transfers(), before);

        int n = bank.size();
        AtomicLong refused = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(System.nanoTime() + t);
            int share = transfers / threads + (t < transfers % threads ? 1 : 0);
            workers.add(Thread.ofPlatform().name("transfer-" + t).start(() -> {
                for (int i = 0; i < share; i++) {
                    String from = Bank.ownerOf(random.nextInt(n));
                    String to = Bank.ownerOf(random.nextInt(n));
                    if (!bank.transfer(from, to, 1 + random.nextLong(INITIAL_BALANCE / 2))) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long committed = transfers - refused.get();
        bank.recordTransfers(committed);
        long after = bank.total();
        System.out.printf(Locale.ROOT, "%d threads made %d durable transfers (%d refused: insufficient funds) in %.2f s, %,.0f/s%n",
                threads, committed, refused.get(), seconds, transfers / seconds);
        System.out.printf(Locale.ROOT, "Total balance %,d: %s%n", after, after == before ? "unchanged, as it must be" : "CHANGED");
        System.out.println("Run the demo again: the accounts, balances and transfer count above come back from the heap.");
        if (after != before) {
            System.exit(1);
        }
    }
}
