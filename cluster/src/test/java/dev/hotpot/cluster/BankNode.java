package dev.hotpot.cluster;

import dev.hotpot.Hotpot;
import dev.hotpot.HotpotException;
import dev.hotpot.heap.Heap;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster node that runs the bank of the cluster tests, through the runtime API: accounts in one
 * block under root {@code accounts}, and per node and thread a journal (root
 * {@code journal-<node>-<thread>}) of the transfers it made: {@code count}, then per entry
 * {@code nonce, from, to, amount}. Each transfer moves money and appends its entry in one
 * transaction; the witness file gets {@code ack <nonce> <from> <to> <amount>} once it returned,
 * {@code unknown <nonce> ...} when its outcome is unknown. A failed commit also prints
 * {@code FAILED after <ms> ms: <message>}; every 250 ms an audit sums the balances in a read-only
 * transaction, which runs on the local copy alone, and prints {@code AUDIT <total>} (or
 * {@code AUDIT failed: <message>}).
 *
 * <p>Control through files in {@code control/}: {@code stop} ends the transfers (the node prints
 * {@code STOPPED}); once every node stopped, {@code collect} makes each run the barrier, write
 * {@code state-<node>.txt} (page hash, balances, journals) and print {@code STATE}.
 *
 * <p>Args: controlDir witnessFile accounts threads journalCapacity pauseMillis. Cluster settings
 * come as {@code -Dhotpot.*}.
 */
public final class BankNode {
    static final long INITIAL = 1_000;
    /** One account per page: two transfers conflict only when they share an account. */
    static final long STRIDE = 4096;
    /** Printed when a journal is full: from then on that thread puts no load on the cluster. */
    static final String JOURNAL_FULL = "JOURNAL FULL";
    /** Entries per journal unless the arguments give more: enough for tests of a few dozen faults. */
    static final int JOURNAL_CAPACITY = 50_000;

    /** The arguments after the control folder and witness file. */
    static List<String> arguments(int accounts, int threads) {
        return arguments(accounts, threads, JOURNAL_CAPACITY, 0);
    }

    /**
     * As {@link #arguments(int, int)}, with {@code journalCapacity} entries per journal (32 bytes
     * each) and a pause of {@code pauseMillis} after each transfer, which bounds how fast a
     * journal fills.
     */
    static List<String> arguments(int accounts, int threads, int journalCapacity, int pauseMillis) {
        return List.of(Integer.toString(accounts), Integer.toString(threads), Integer.toString(journalCapacity),
                Integer.toString(pauseMillis));
    }

    public static void main(String[] args) {
        NodeMain.run(args, BankNode::run);
    }

    private static void run(String[] args) throws Exception {
        Path control = Path.of(args[0]);
        Path witness = Path.of(args[1]);
        int accounts = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int capacity = Integer.parseInt(args[4]);
        int pauseMillis = Integer.parseInt(args[5]);
        String node = System.getProperty("hotpot.node");
        Heap heap = Hotpot.heap();
        long accountsBlock = accountsBlock(heap, accounts);
        System.out.println("READY " + node);
        List<Thread> workers = new ArrayList<>();
        try (PrintStream out = new PrintStream(new FileOutputStream(witness.toFile(), true), true)) {
            for (int t = 0; t < threads; t++) {
                long journal = journal(heap, node, t, capacity);
                workers.add(Thread.ofPlatform().name("transfers-" + t).start(() -> transfers(heap, control, out,
                        accountsBlock, accounts, journal, capacity, pauseMillis)));
            }
            workers.add(Thread.ofPlatform().name("audit").start(() -> audit(heap, control, accountsBlock, accounts)));
            for (Thread worker : workers) {
                worker.join();
            }
        }
        NodeMain.finish(heap, control, node, () -> state(heap, accountsBlock, accounts));
    }

    private static long accountsBlock(Heap heap, int accounts) {
        return NodeMain.setUp(heap, () -> {
            long block = heap.root("accounts");
            if (block == 0) {
                block = heap.allocate(STRIDE * accounts);
                for (int i = 0; i < accounts; i++) {
                    heap.putLong(block + STRIDE * i, INITIAL);
                }
                heap.setRoot("accounts", block);
            }
            return block;
        });
    }

    private static long journal(Heap heap, String node, int thread, int capacity) {
        String name = "journal-" + node + "-" + thread;
        return NodeMain.setUp(heap, () -> {
            long block = heap.root(name);
            if (block == 0) {
                block = heap.allocate(8L + 32L * capacity);
                heap.setRoot(name, block);
            }
            return block;
        });
    }

    private static void transfers(Heap heap, Path control, PrintStream witness, long accounts, int count, long journal,
                                  int capacity, int pauseMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!Files.exists(control.resolve("stop"))) {
            int from = random.nextInt(count);
            int to = random.nextInt(count - 1);
            to = to >= from ? to + 1 : to;
            long amount = 1 + random.nextInt(50);
            long nonce = random.nextLong() & Long.MAX_VALUE;
            String line = nonce + " " + from + " " + to + " " + amount;
            int a = from;
            int b = to;
            long start = System.nanoTime();
            try {
                heap.transaction(() -> {
                    long n = heap.getLong(journal);
                    if (n >= capacity) {
                        throw new JournalFull();
                    }
                    heap.putLong(accounts + STRIDE * a, heap.getLong(accounts + STRIDE * a) - amount);
                    heap.putLong(accounts + STRIDE * b, heap.getLong(accounts + STRIDE * b) + amount);
                    long entry = journal + 8 + 32 * n;
                    heap.putLong(entry, nonce);
                    heap.putLong(entry + 8, a);
                    heap.putLong(entry + 16, b);
                    heap.putLong(entry + 24, amount);
                    heap.putLong(journal, n + 1);
                });
                witness.println("ack " + line);
            } catch (CommitOutcomeUnknownException e) {
                witness.println("unknown " + line);
                printFailure(start, e);
            } catch (ClusterUnavailableException e) {
                witness.println("unavailable " + line);
                printFailure(start, e);
            } catch (JournalFull e) {
                System.out.println(JOURNAL_FULL + ": this thread makes no more transfers");
                return;
            }
            if (pauseMillis > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
        }
    }

    /** Thrown in a transfer's transaction when its thread's journal has no room left. */
    private static final class JournalFull extends RuntimeException {
        JournalFull() {
            super("journal full", null, false, false);
        }
    }

    private static void printFailure(long start, RuntimeException e) {
        System.out.println("FAILED after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: "
                + e.getMessage());
    }

    private static void audit(Heap heap, Path control, long accounts, int count) {
        while (!Files.exists(control.resolve("stop"))) {
            try {
                long total = heap.transaction(() -> {
                    long sum = 0;
                    for (int i = 0; i < count; i++) {
                        sum += heap.getLong(accounts + STRIDE * i);
                    }
                    return sum;
                });
                System.out.println("AUDIT " + total);
            } catch (HotpotException e) {
                System.out.println("AUDIT failed: " + e.getMessage());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    /** Each balance, then every journal entry; in a transaction. */
    private static String state(Heap heap, long accounts, int count) {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < count; i++) {
            t.append("balance ").append(i).append(' ').append(heap.getLong(accounts + STRIDE * i)).append('\n');
        }
        for (String root : heap.rootNames()) {
            if (!root.startsWith("journal-")) {
                continue;
            }
            long journal = heap.root(root);
            long n = heap.getLong(journal);
            for (long i = 0; i < n; i++) {
                long entry = journal + 8 + 32 * i;
                t.append("entry ").append(heap.getLong(entry)).append(' ').append(heap.getLong(entry + 8)).append(' ')
                        .append(heap.getLong(entry + 16)).append(' ').append(heap.getLong(entry + 24)).append('\n');
            }
        }
        return t.toString();
    }
}
