package dev.hotpot.samples.bank;

import dev.hotpot.Hotpot;
import dev.hotpot.HotpotException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node of the cluster demo ({@link ClusterBankDemo} starts three), run with the agent and the
 * cluster settings: its threads make transfers on the shared bank until the demo says stop, and it
 * reports what it did in lines the demo reads:
 * <ul>
 *   <li>{@code RUN <number> <accounts> <transfers> <total>}, once, from the node that counts the run;</li>
 *   <li>{@code READY}, once the bank is open;</li>
 *   <li>{@code PROGRESS <epoch millis> <committed>}, every 50 ms;</li>
 *   <li>{@code FINAL <committed> <refused> <failed> <total>}, after the barrier, once told to stop.</li>
 * </ul>
 *
 * <p>Arguments: controlDir accounts threads countRun. The demo writes {@code stop} and then
 * {@code exit} into the control folder.
 */
public final class ClusterBankNode {
    private static final long PROGRESS_MILLIS = 50;

    private ClusterBankNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path control = Path.of(args[0]);
        int accounts = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        boolean countRun = Boolean.parseBoolean(args[3]);

        Bank bank = Hotpot.root("bank", Bank.class, () -> {
            Bank fresh = new Bank();
            fresh.open(accounts, BankDemo.INITIAL_BALANCE);
            return fresh;
        });
        if (countRun) {
            int run = bank.startRun();
            System.out.printf(Locale.ROOT, "RUN %d %d %d %d%n", run, bank.size(), bank.transfers(), bank.total());
        }
        System.out.println("READY");
        LongAdder committed = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder failed = new LongAdder();
        int n = bank.size();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(System.nanoTime() + t);
            workers.add(Thread.ofPlatform().name("transfer-" + t).start(() -> {
                while (!Files.exists(control.resolve("stop"))) {
                    String from = Bank.ownerOf(random.nextInt(n));
                    String to = Bank.ownerOf(random.nextInt(n));
                    try {
                        if (bank.transfer(from, to, 1 + random.nextLong(BankDemo.INITIAL_BALANCE / 2))) {
                            committed.increment();
                        } else {
                            refused.increment();
                        }
                    } catch (HotpotException e) {
                        // A commit whose outcome is unknown, or the cluster out of reach, during a failover.
                        failed.increment();
                    }
                }
            }));
        }
        Thread progress = Thread.ofPlatform().daemon().name("progress").start(() -> {
            while (true) {
                System.out.println("PROGRESS " + System.currentTimeMillis() + " " + committed.sum());
                try {
                    Thread.sleep(PROGRESS_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        for (Thread worker : workers) {
            worker.join();
        }
        progress.interrupt();
        bank.recordTransfers(committed.sum());
        Hotpot.sync();
        System.out.printf(Locale.ROOT, "FINAL %d %d %d %d%n", committed.sum(), refused.sum(), failed.sum(), bank.total());
        while (!Files.exists(control.resolve("exit"))) {
            Thread.sleep(50);
        }
        // The coordinator's threads would keep the JVM alive: exit, which closes the heap.
        System.exit(0);
    }
}
