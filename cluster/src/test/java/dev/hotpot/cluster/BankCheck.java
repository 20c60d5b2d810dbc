package dev.hotpot.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of a bank run on a cluster, from the nodes' states after the barrier and their
 * witness files: every node's pages hash the same; no transfer's nonce is in the journals twice;
 * every acknowledged transfer is there exactly once, as it was made; the balances are exactly
 * what the journals say, so the total never changed.
 */
final class BankCheck {
    /** What a check found, for the test's report. */
    record Summary(int acknowledged, int unknown, int unavailable, int entries) {
    }

    private BankCheck() {
    }

    static Summary check(Map<String, BankState> states, List<Path> witnesses, int accounts) throws IOException {
        assertTrue(!states.isEmpty(), "no node reported its state");
        BankState first = states.values().iterator().next();
        states.forEach((node, state) -> assertEquals(first.hash(), state.hash(),
                "node " + node + "'s pages differ from " + states.keySet().iterator().next() + "'s after the barrier"));
        Map<Long, BankState.Entry> byNonce = new HashMap<>();
        long[] expected = new long[accounts];
        java.util.Arrays.fill(expected, BankNode.INITIAL);
        for (BankState.Entry entry : first.entries()) {
            BankState.Entry twin = byNonce.put(entry.nonce(), entry);
            assertTrue(twin == null, "transfer nonce " + entry.nonce() + " is in the journals twice: applied twice");
            expected[entry.from()] -= entry.amount();
            expected[entry.to()] += entry.amount();
        }
        long total = 0;
        for (int i = 0; i < accounts; i++) {
            assertEquals(expected[i], first.balances().get(i), "balance of account " + i + " does not match the journals");
            total += first.balances().get(i);
        }
        assertEquals(BankNode.INITIAL * accounts, total, "the total changed");
        int acknowledged = 0;
        int unknown = 0;
        int unavailable = 0;
        Set<Long> acked = new HashSet<>();
        for (Path witness : witnesses) {
            if (!Files.exists(witness)) {
                continue;
            }
            for (String line : Files.readAllLines(witness)) {
                String[] f = line.split(" ");
                if (f.length != 5) {
                    continue; // the last line of a killed node may be cut short
                }
                long nonce = Long.parseLong(f[1]);
                BankState.Entry entry = byNonce.get(nonce);
                switch (f[0]) {
                    case "ack" -> {
                        acknowledged++;
                        assertTrue(acked.add(nonce), "nonce " + nonce + " acknowledged twice");
                        assertTrue(entry != null, "acknowledged transfer " + line + " is missing");
                        assertEquals(new BankState.Entry(nonce, Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                                Long.parseLong(f[4])), entry, "acknowledged transfer changed");
                    }
                    case "unknown" -> unknown++;
                    case "unavailable" -> {
                        unavailable++;
                        assertTrue(entry == null, "transfer " + line + " was reported as never sent, yet it committed");
                    }
                    default -> throw new IOException("unexpected witness line: " + line);
                }
            }
        }
        return new Summary(acknowledged, unknown, unavailable, first.entries().size());
    }
}
