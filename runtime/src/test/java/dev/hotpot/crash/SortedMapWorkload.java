package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.Hotpot;
import dev.hotpot.collections.PersistentLongArray;
import dev.hotpot.collections.PersistentSortedMap;
import dev.hotpot.collections.SortedMapChecks;
import dev.hotpot.testing.AckLog;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.DefaultHeapForTests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child JVM of {@link SortedMapCrashTest}: opens (and so recovers) the heap, writes what it holds
 * to a dump file, prints {@code READY}, then runs {@link SortedMapPlan} transactions on several
 * threads until it is killed, appending "t k" to the ack file after each commit returns.
 *
 * <p>Arguments: dir durability seed threads ackFile dumpFile mode, where mode {@code verify}
 * stops after the dump. The dump is: {@code invariants OK <shape>} (or {@code invariants FAILED
 * <why>}), {@code progress k0 k1 ...}, then one {@code key TAB value} line per mapping in order.
 */
public final class SortedMapWorkload {
    static final String ROOT = "crash-sorted-map";

    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        DefaultHeapForTests.configure(Path.of(args[0]), null, 32L << 20, Durability.parse(args[1]));
        long seed = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path ackFile = Path.of(args[4]);
        Path dumpFile = Path.of(args[5]);
        boolean verifyOnly = args[6].equals("verify");

        @SuppressWarnings("unchecked")
        PersistentSortedMap<String, Object> map = Hotpot.root(ROOT, PersistentSortedMap.class, PersistentSortedMap::new);
        PersistentLongArray[] progress = new PersistentLongArray[threads];
        for (int t = 0; t < threads; t++) {
            progress[t] = Hotpot.root("crash-sorted-progress-" + t, PersistentLongArray.class, () -> new PersistentLongArray(1));
        }
        Files.write(dumpFile, dump(map, progress), StandardCharsets.UTF_8);
        System.out.println("READY");
        System.out.flush();
        if (verifyOnly) {
            System.exit(0);
        }
        try (AckLog acks = new AckLog(ackFile)) {
            acks.runWorkers(threads, thread -> progress[thread].get(0), (thread, k) -> {
                List<SortedMapPlan.Op> ops = SortedMapPlan.transaction(seed, thread, k);
                Hotpot.transaction(() -> {
                    long last = progress[thread].get(0);
                    if (last != k - 1) {
                        throw new IllegalStateException("thread " + thread + " applies " + k + " after " + last);
                    }
                    SortedMapPlan.apply(map, thread, ops);
                    progress[thread].set(0, k);
                });
            });
        }
    }

    /** The recovered state, read in one transaction. */
    private static List<String> dump(PersistentSortedMap<String, Object> map, PersistentLongArray[] progress) {
        return Hotpot.transaction(() -> {
            List<String> lines = new ArrayList<>();
            try {
                lines.add("invariants OK " + SortedMapChecks.checkInvariants(map));
            } catch (IllegalStateException | dev.hotpot.HeapCorruptException e) {
                lines.add("invariants FAILED " + e.getMessage());
            }
            StringBuilder line = new StringBuilder("progress");
            for (PersistentLongArray p : progress) {
                line.append(' ').append(p.get(0));
            }
            lines.add(line.toString());
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                lines.add(entry.getKey() + "\t" + SortedMapPlan.describe(entry.getValue()));
            }
            return lines;
        });
    }
}
