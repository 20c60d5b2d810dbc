package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.CrashExpectations;
import dev.hotpot.testing.CrashPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM that runs concurrent {@link SortedMapPlan} transactions on a
 * {@code PersistentSortedMap} (splitting, emptying and freeing nodes) with {@code kill -9} at
 * random moments. The next child recovers the heap and dumps it before it works on; the test checks
 * that the dump holds exactly the committed transactions, decided as {@link CrashExpectations}
 * decides them (every acknowledged one with sync durability, at most one unacknowledged one per
 * thread, none in part), and that the tree's invariants hold. {@code -Dhotpot.sortedmap.crash.kills=N}
 * sets the number of kills (default 20).
 */
class SortedMapCrashTest {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void recoversExactlyTheCommittedTreeAfterEveryKill() throws Exception {
        CrashPlan plan = CrashPlan.fromProperties("sorted map crash test", "hotpot.sortedmap.crash.kills", 20);
        long seed = plan.seed();
        Random random = plan.random();
        long[] lastApplied = new long[THREADS];
        long[] acked = new long[THREADS];
        TreeMap<String, Object> expected = new TreeMap<>();
        Durability previous = Durability.SYNC;
        int deepest = 0;
        for (int cycle = 0; cycle <= plan.kills(); cycle++) {
            boolean last = cycle == plan.kills();
            Durability durability = cycle % 8 == 5 ? Durability.ASYNC : Durability.SYNC;
            Path ackFile = dir.resolve("acks-" + cycle);
            Path dumpFile = dir.resolve("dump-" + cycle);
            Files.createFile(ackFile);
            String context = "cycle=" + cycle + " (after a kill under " + previous + ") seed=" + seed;
            try (ChildJvm child = ChildJvm.start(SortedMapWorkload.class, dir.toString(), durability.name(),
                    Long.toString(seed), Integer.toString(THREADS), ackFile.toString(), dumpFile.toString(),
                    last ? "verify" : "work")) {
                child.await("READY", Duration.ofSeconds(60));
                deepest = Math.max(deepest, verify(Files.readAllLines(dumpFile, StandardCharsets.UTF_8), seed, lastApplied,
                        acked, previous == Durability.SYNC, expected, context));
                if (last) {
                    child.awaitSuccess(Duration.ofSeconds(30));
                } else {
                    Thread.sleep(100 + random.nextInt(400));
                    child.kill();
                }
            }
            acked = CrashExpectations.readAcks(ackFile, THREADS);
            previous = durability;
        }
        long applied = java.util.Arrays.stream(lastApplied).sum();
        System.out.println("sorted map crash test: " + plan.kills() + " kills, " + applied + " transactions verified, "
                + expected.size() + " mappings, deepest tree " + deepest);
        assertTrue(applied > plan.kills(), "the workload made progress: " + applied);
        assertTrue(deepest >= 3, "the tree reached depth 3: " + deepest);
    }

    /**
     * Checks a dump against the committed transactions and advances the model by the ones found
     * committed; returns the tree's depth.
     */
    private static int verify(List<String> dump, long seed, long[] lastApplied, long[] acked, boolean acksAreDurable,
                              TreeMap<String, Object> expected, String context) {
        assertTrue(dump.getFirst().startsWith("invariants OK "), dump.getFirst() + " " + context);
        String[] progress = dump.get(1).split(" ");
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            CrashExpectations.advanceThread(t, Long.parseLong(progress[t + 1]), lastApplied, acked, acksAreDurable, context,
                    k -> SortedMapPlan.apply(expected, thread, SortedMapPlan.transaction(seed, thread, k)));
        }
        List<String> want = new ArrayList<>();
        for (Map.Entry<String, Object> entry : expected.entrySet()) {
            want.add(entry.getKey() + "\t" + SortedMapPlan.describe(entry.getValue()));
        }
        List<String> got = dump.subList(2, dump.size());
        if (!want.equals(got)) {
            for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
                assertEquals(want.get(i), got.get(i), "first difference at mapping " + i + " " + context);
            }
            assertEquals(want.size(), got.size(), "mapping count " + context);
        }
        String shape = dump.getFirst();
        return Integer.parseInt(shape.substring(shape.indexOf("depth=") + 6).split(" ")[0]);
    }
}
