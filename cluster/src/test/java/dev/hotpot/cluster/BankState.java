package dev.hotpot.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a {@link BankNode} wrote after the barrier: the hash of its pages, the balances and every
 * journal entry.
 */
record BankState(String hash, List<Long> balances, List<Entry> entries) {
    record Entry(long nonce, int from, int to, long amount) {
    }

    static Map<String, BankState> readAll(Map<String, Path> files) throws IOException {
        Map<String, BankState> states = new java.util.LinkedHashMap<>();
        for (var file : files.entrySet()) {
            states.put(file.getKey(), read(file.getValue()));
        }
        return states;
    }

    static BankState read(Path file) throws IOException {
        String hash = null;
        List<Long> balances = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "hash" -> hash = f[1];
                case "balance" -> balances.add(Long.parseLong(f[2]));
                case "entry" -> entries.add(new Entry(Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Long.parseLong(f[4])));
                default -> throw new IOException("unexpected line in " + file + ": " + line);
            }
        }
        return new BankState(hash, balances, entries);
    }
}
