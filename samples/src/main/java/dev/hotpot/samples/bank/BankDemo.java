package dev.hotpot.samples.bank;

import dev.hotpot.Hotpot;
import dev.hotpot.HotpotSettings;
import picocli.CommandLine;
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
 * The bank on plain annotated classes, run with {@code -javaagent:hotpot.jar}: by default on a
 * cluster of three local JVMs ({@link ClusterBankDemo}), with {@code --nodes 1} in this JVM alone:
 * threads make concurrent transfers, each a durable transaction; the total never changes; a second
 * run finds the accounts and balances of the first.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "The bank sample, on a cluster or one node.")
public final class BankDemo implements Callable<Integer> {
    static final long INITIAL_BALANCE = 100_000;

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes: 1 runs in this JVM, more start a cluster of local JVMs (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--accounts", defaultValue = "1024", description = "Accounts of a new bank (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--threads", description = "Transfer threads: per node on a cluster (default 2), else 4.")
    Integer threads;

    @Option(names = "--transfers", defaultValue = "4000", description = "Transfers of a one-node run (default ${DEFAULT-VALUE}).")
    int transfers;

    @Option(names = "--seconds", defaultValue = "12", description = "Length of a cluster run (default ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--port", defaultValue = "7101", description = "Port of node n1 on a cluster; node nK uses port + 10(K-1) and the next (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", description = "Data folder: the heap of a one-node run, or the nodes' folders under DIR/cluster/ (default: the agent's dir, else hotpot-data).")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BankDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 9) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--nodes must be between 1 and 9");
        }
        // The agent's arguments are hotpot.* system properties by now.
        Path data = dir != null ? dir : Path.of(System.getProperty(HotpotSettings.PREFIX + HotpotSettings.DIR,
                HotpotSettings.DEFAULT_DIR));
        if (nodes > 1) {
            return new ClusterBankDemo(nodes, accounts, threads == null ? 2 : threads, seconds, port, data).run();
        }
        // The heap opens at the first Hotpot.root, after this: a folder given here wins over the agent's.
        System.setProperty(HotpotSettings.PREFIX + HotpotSettings.DIR, data.toString());
        return runAlone(threads == null ? 4 : threads);
    }

    private int runAlone(int threadCount) throws InterruptedException {
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
        for (int t = 0; t < threadCount; t++) {
            SplittableRandom random = new SplittableRandom(System.nanoTime() + t);
            int share = transfers / threadCount + (t < transfers % threadCount ? 1 : 0);
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
                threadCount, committed, refused.get(), seconds, transfers / seconds);
        System.out.printf(Locale.ROOT, "Total balance %,d: %s%n", after, after == before ? "unchanged, as it must be" : "CHANGED");
        System.out.println("Run the demo again: the accounts, balances and transfer count above come back from the heap.");
        return after == before ? 0 : 1;
    }
}
