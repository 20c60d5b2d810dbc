package dev.hotpot.it.crash;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.AckLog;
import dev.hotpot.testing.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Child JVM of the agent crash test, run with the agent. First prints the recovered state of the
 * vault (lines {@code STATE}, {@code LAST t k}, {@code BALANCE i v}, {@code RECEIPT t k sum}, or
 * {@code BROKEN reason}), then {@code READY}, then runs {@link Vault#apply} on several threads
 * until killed, appending "t k" to the ack file after each commit returns.
 *
 * <p>Arguments: seed threads ackFile|-. With "-" it only prints the state and exits.
 */
public final class VaultWorkload {
    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        long seed = Long.parseLong(args[0]);
        int threads = Integer.parseInt(args[1]);
        printState(threads);
        if (args[2].equals("-")) {
            System.exit(0);
        }
        Vault vault = Hotpot.root("vault", Vault.class, () -> new Vault(threads));
        try (AckLog acks = new AckLog(Path.of(args[2]))) {
            System.out.println("READY");
            System.out.flush();
            acks.runWorkers(threads, thread -> vault.tellers.get(thread).lastApplied, (thread, k) -> vault.apply(seed, thread, k));
        }
    }

    private static void printState(int threads) {
        StringBuilder out = new StringBuilder();
        Hotpot.transaction(() -> {
            out.setLength(0);
            if (!Hotpot.heap().rootNames().contains("vault")) {
                out.append("STATE 0\n");
                return;
            }
            Vault vault = Hotpot.root("vault", Vault.class, () -> {
                throw new IllegalStateException("vault vanished");
            });
            out.append("STATE 1\n");
            for (int i = 0; i < vault.accounts.length(); i++) {
                out.append("BALANCE ").append(i).append(' ').append(vault.accounts.get(i).balance).append('\n');
            }
            for (int t = 0; t < threads; t++) {
                Teller teller = vault.tellers.get(t);
                out.append("LAST ").append(t).append(' ').append(teller.lastApplied).append('\n');
                Set<Receipt> seen = new HashSet<>();
                Receipt receipt = teller.receipts;
                for (int i = 0; i < teller.receiptCount; i++, receipt = receipt.next) {
                    if (receipt == null || !seen.add(receipt) || !Receipt.memoOf(receipt.k).equals(receipt.memo)) {
                        out.append("BROKEN receipt list of thread ").append(t).append(" at ").append(i).append('\n');
                        return;
                    }
                    out.append("RECEIPT ").append(t).append(' ').append(receipt.k).append(' ').append(receipt.amountSum).append('\n');
                }
                if (receipt != null) {
                    out.append("BROKEN receipt list of thread ").append(t).append(" longer than ").append(teller.receiptCount).append('\n');
                }
            }
        });
        System.out.print(out);
        System.out.println("END-STATE");
        System.out.flush();
    }
}
