package dev.hotpot.cluster;

import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The list-append history on 3 nodes while random nodes are killed and restarted: every node
 * appends unique values to shared lists, each also in a block allocated for it, and records each
 * call and its outcome ({@link ListNode}).
 * Afterwards every acknowledged append is in its list exactly once, at the position after the
 * list it read; no value is anywhere twice; an append reported never sent is nowhere; every list a
 * transaction read is a prefix of the final list; every value's block holds it; and every node
 * has the same pages.
 */
class ListHistoryTest {
    private static final int LISTS = 8;
    /** Appending threads per node: more than a node's two superblock arenas, so its directory arenas are used too. */
    private static final int THREADS = 4;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyAcknowledgedAppendIsThereOnceAndEveryReadWasAPrefix() throws Exception {
        int faults = Integer.getInteger("hotpot.cluster.listFaults", 5);
        long seed = Long.getLong("hotpot.cluster.seed", System.nanoTime());
        System.out.println("list history: faults=" + faults + " seed=" + seed);
        Random random = new Random(seed);
        try (LocalCluster cluster = new LocalCluster(root, 3, ListNode.class, ListNode.arguments(LISTS, THREADS),
                List.of())) {
            cluster.startAll(Duration.ofSeconds(90));
            for (int fault = 0; fault < faults; fault++) {
                Thread.sleep(1000 + random.nextInt(1500));
                String victim = cluster.ids().get(random.nextInt(cluster.ids().size()));
                System.out.println("list history fault " + fault + ": kill -9 " + victim);
                cluster.kill(victim);
                cluster.start(victim);
                for (String id : cluster.ids()) {
                    ChildJvm jvm = cluster.jvm(id);
                    if (!jvm.isAlive()) {
                        cluster.start(id);
                    }
                    cluster.awaitReady(id, Duration.ofSeconds(90));
                }
            }
            Thread.sleep(1000);
            Map<String, Path> states = cluster.stopAndCollect(Duration.ofSeconds(90));
            Map<Integer, List<Long>> lists = check(states);
            int[] outcomes = checkHistory(lists, cluster.ids().stream().map(cluster::witness).toList());
            System.out.println("list history: " + faults + " kills; " + outcomes[0] + " acknowledged, " + outcomes[1]
                    + " unknown, " + outcomes[2] + " unavailable, " + lists.values().stream().mapToInt(List::size).sum()
                    + " values in the lists");
            assertTrue(outcomes[0] > 100, "too few appends to prove anything: " + outcomes[0]);
        }
    }

    /** Reads the nodes' states: equal page hashes; returns the lists. */
    private static Map<Integer, List<Long>> check(Map<String, Path> states) throws Exception {
        String hash = null;
        Map<Integer, List<Long>> lists = null;
        for (var state : states.entrySet()) {
            Map<Integer, List<Long>> read = new HashMap<>();
            String nodeHash = null;
            Map<Integer, Integer> boxed = new HashMap<>();
            for (String line : Files.readAllLines(state.getValue())) {
                String[] f = line.split(" ");
                if (f[0].equals("hash")) {
                    nodeHash = f[1];
                } else if (f[0].equals("boxed")) {
                    boxed.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                } else {
                    List<Long> values = new ArrayList<>();
                    for (int i = 2; i < f.length; i++) {
                        values.add(Long.parseLong(f[i]));
                    }
                    read.put(Integer.parseInt(f[1]), values);
                }
            }
            read.forEach((list, values) -> assertEquals(values.size(), boxed.get(list), "node " + state.getKey()
                    + ": of list " + list + "'s values, only " + boxed.get(list) + " are in their own box"));
            if (hash == null) {
                hash = nodeHash;
                lists = read;
            }
            assertEquals(hash, nodeHash, "node " + state.getKey() + "'s pages differ after the barrier");
        }
        return lists;
    }

    /** Checks the history against the lists; returns the counts of acknowledged, unknown and unavailable appends. */
    private static int[] checkHistory(Map<Integer, List<Long>> lists, List<Path> histories) throws Exception {
        Map<Long, int[]> where = new HashMap<>();
        lists.forEach((list, values) -> {
            for (int i = 0; i < values.size(); i++) {
                int[] twin = where.put(values.get(i), new int[] {list, i});
                assertTrue(twin == null, "value " + values.get(i) + " is in the lists twice: an append applied twice");
            }
        });
        int[] outcomes = new int[3];
        for (Path history : histories) {
            if (!Files.exists(history)) {
                continue;
            }
            for (String line : Files.readAllLines(history)) {
                String[] f = line.split(" ");
                if (f.length < 3 || (f[0].equals("ack") && f.length != 5)) {
                    continue; // the last line of a killed node may be cut short
                }
                int list = Integer.parseInt(f[1]);
                long value = Long.parseLong(f[2]);
                int[] found = where.get(value);
                switch (f[0]) {
                    case "ack" -> {
                        outcomes[0]++;
                        int readLength = Integer.parseInt(f[3]);
                        assertTrue(found != null && found[0] == list, "acknowledged append " + line + " is missing");
                        assertEquals(readLength, found[1], "acknowledged append " + line
                                + " is not right after the list it read");
                        assertEquals(Long.parseLong(f[4]), prefixHash(lists.get(list), readLength),
                                "the list that append " + line + " read is not a prefix of the final list");
                    }
                    case "unknown" -> outcomes[1]++;
                    case "unavailable" -> {
                        outcomes[2]++;
                        assertTrue(found == null, "append " + line + " was reported never sent, yet it is in a list");
                    }
                    default -> throw new AssertionError("unexpected history line: " + line);
                }
            }
        }
        return outcomes;
    }

    private static long prefixHash(List<Long> values, int length) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < length; i++) {
            ListNode.update(crc, values.get(i));
        }
        return crc.getValue();
    }
}
