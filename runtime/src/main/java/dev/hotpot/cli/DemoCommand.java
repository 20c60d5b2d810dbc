package dev.hotpot.cli;

import dev.hotpot.Durability;
import dev.hotpot.HotpotSettings;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bank demo on the runtime API: accounts live in a persistent heap; threads move money between
 * them in transactions; the total never changes, across threads, aborts and restarts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Concurrent bank transfers on a persistent heap; run it twice to see the state survive.")
final class DemoCommand implements Callable<Integer> {
    static final long INITIAL_BALANCE = 100_000;
    /** One account per 64 bytes, so concurrent transfers rarely meet on a page. */
    static final int ACCOUNT_STRIDE = 64;
    /** bank block: long accounts; long transfers (added at the end of each run); long runs; then the accounts. */
    private static final long ACCOUNTS = 0;
    private static final long TRANSFERS = 8;
    private static final long RUNS = 16;
    private static final long FIRST_ACCOUNT = 64;

    @Option(names = "--dir", description = "data folder (default: ${DEFAULT-VALUE})", defaultValue = HotpotSettings.DEFAULT_DIR)
    Path dir;
    @Option(names = "--heap", description = "heap name (default: ${DEFAULT-VALUE})", defaultValue = "bank-api")
    String heapName;
    @Option(names = "--accounts", description = "accounts in a new bank (default: ${DEFAULT-VALUE})", defaultValue = "4096")
    int accounts;
    @Option(names = "--threads", description = "transfer threads (default: ${DEFAULT-VALUE})", defaultValue = "4")
    int threads;
    @Option(names = "--transfers", description = "transfers per run (default: ${DEFAULT-VALUE})", defaultValue = "4000")
    int transfers;
    @Option(names = "--durability", description = "sync, async or none (default: ${DEFAULT-VALUE})", defaultValue = "sync")
    String durability;

    @Override
    public Integer call() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HeapConfig config = HeapConfig.builder(dir, heapName).durability(Durability.parse(durability))
                .meterRegistry(registry).build();
        try (Heap heap = Heap.open(config)) {
            System.out.printf(Locale.ROOT, "Heap '%s' in %s: %d MiB, durable through %s, durability %s%n",
                    heap.name(), dir, heap.size() >> 20, heap.persistenceMode().description(), durability);
            long bank = openBank(heap);
            long n = heap.getLong(bank + ACCOUNTS);
            long run = heap.transaction(() -> {
                long runs = heap.getLong(bank + RUNS) + 1;
                heap.putLong(bank + RUNS, runs);
                return runs;
            });
            long before = total(heap, bank, n);
            System.out.printf(Locale.ROOT, "Run #%d: found %d accounts, %d transfers committed by earlier runs, total balance %,d%n",
                    run, n, heap.getLong(bank + TRANSFERS), before);

            AtomicLong refused = new AtomicLong();
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(System.nanoTime() + t);
                int share = transfers / threads + (t < transfers % threads ? 1 : 0);
                workers.add(Thread.ofPlatform().name("transfer-" + t).start(() -> {
                    for (int i = 0; i < share; i++) {
                        if (!transfer(heap, bank, random.nextLong(n), random.nextLong(n), 1 + random.nextLong(INITIAL_BALANCE / 2))) {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            // Counted once per run, not per transfer: a shared counter would make every transfer conflict.
            heap.transaction(() -> heap.putLong(bank + TRANSFERS, heap.getLong(bank + TRANSFERS) + transfers - refused.get()));
            double seconds = (System.nanoTime() - start) / 1e9;
            long after = total(heap, bank, n);
            System.out.printf(Locale.ROOT, "Ran %d transfers on %d threads in %.2f s (%,.0f/s): %d refused for lack of funds and rolled back, %.0f conflict re-runs%n",
                    transfers, threads, seconds, transfers / seconds, refused.get(),
                    registry.get("hotpot.tx.retry").counter().count());
            var forces = registry.get("hotpot.log.force").timer();
            System.out.printf(Locale.ROOT, "Group commit: %d log forces (mean %.2f ms) made %d commits durable%n",
                    forces.count(), forces.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    (long) registry.get("hotpot.tx.commit").counter().count());
            boolean holds = after == before && after == n * INITIAL_BALANCE;
            System.out.printf(Locale.ROOT, "Invariant %s: total balance %,d = %d accounts x %,d%n",
                    holds ? "holds" : "BROKEN", after, n, INITIAL_BALANCE);
            System.out.printf(Locale.ROOT, "Transfers committed over all runs: %d. Run the same command again: the state survives the restart.%n",
                    heap.getLong(bank + TRANSFERS));
            return holds ? 0 : 1;
        }
    }

    /** Moves {@code amount} from one account to another, or refuses (rolling back) if it would overdraw. */
    private static boolean transfer(Heap heap, long bank, long from, long to, long amount) {
        try {
            heap.transaction(() -> {
                long a = account(bank, from);
                long b = account(bank, to);
                heap.putLong(b, heap.getLong(b) + amount);
                long left = heap.getLong(a) - amount;
                if (left < 0) {
                    throw new InsufficientFunds();
                }
                heap.putLong(a, left);
            });
            return true;
        } catch (InsufficientFunds e) {
            return false;
        }
    }

    /** Returns the bank of root "bank", creating it with {@code accounts} full accounts when absent. */
    private long openBank(Heap heap) {
        return heap.transaction(() -> {
            long bank = heap.root("bank");
            if (bank == 0) {
                bank = heap.allocate(FIRST_ACCOUNT + (long) accounts * ACCOUNT_STRIDE);
                heap.putLong(bank + ACCOUNTS, accounts);
                for (long i = 0; i < accounts; i++) {
                    heap.putLong(account(bank, i), INITIAL_BALANCE);
                }
                heap.setRoot("bank", bank);
            }
            return bank;
        });
    }

    private static long account(long bank, long index) {
        return bank + FIRST_ACCOUNT + index * ACCOUNT_STRIDE;
    }

    private static long total(Heap heap, long bank, long n) {
        return heap.transaction(() -> {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += heap.getLong(account(bank, i));
            }
            return sum;
        });
    }

    /** Thrown inside a transfer to roll it back. */
    private static final class InsufficientFunds extends RuntimeException {
        InsufficientFunds() {
            super(null, null, false, false);
        }
    }
}
