package dev.hotpot.it.kv;

import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Restart after kill -9: YCSB loads the store, then a run that reads and inserts from 4 threads is
 * killed at a random point, then a read-only YCSB run reads every key that may exist, in order,
 * verifying each record's content. Every loaded record and every insert the killed client saw
 * acknowledged must be found. Five kills by default ({@code -Dhotpot.kv.kills=N}), one after another, on the same store.
 */
class YcsbKillRestartIT {
    private static final int LOADED = 800;
    private static final int KILLS = Integer.getInteger("hotpot.kv.kills", 5);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesAKillMidRun() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Map<String, String> heap = Map.of("hotpot.dir", dir.resolve("heap").toString(), "hotpot.size", "64m", "dataintegrity", "true");
        Path workload = Ycsb.workload('d');
        try (ChildJvm load = Ycsb.start(true, "dev.hotpot.samples.kv.ycsb.HotpotKvClient", workload, 2,
                with(heap, "recordcount", LOADED))) {
            load.awaitSuccess(Duration.ofSeconds(120));
        }
        Set<String> acknowledged = new HashSet<>(KvContentCheck.expectedKeys(KvContentCheck.properties(workload), LOADED));
        long keySpace = LOADED;
        for (int kill = 1; kill <= KILLS; kill++) {
            Path inserts = dir.resolve("inserts-" + kill);
            int waitFor = 20 + random.nextInt(300);
            Map<String, String> run = with(heap, "recordcount", keySpace, "operationcount", 10_000_000,
                    "insertproportion", "0.5", "readproportion", "0.5");
            try (ChildJvm client = Ycsb.start(false, RecordingKvClient.class.getName(), workload, 4,
                    with(run, "record.file", inserts))) {
                awaitLines(inserts, waitFor, client);
                client.kill();
            }
            long returned = 0;
            for (String line : Files.readAllLines(inserts)) {
                String[] parts = line.split(" ");
                if (parts[0].equals("insert")) {
                    returned++;
                    if (parts[1].equals("OK")) {
                        acknowledged.add(parts[2]);
                    }
                }
            }
            // Each insert takes the next key number, and at most 4 have not returned, so every
            // acknowledged key number is below this.
            keySpace += returned + 4;
            verify(heap, keySpace, acknowledged, "kill " + kill + " after " + waitFor + " witnessed operations, seed " + seed);
        }
    }

    private void verify(Map<String, String> heap, long keySpace, Set<String> acknowledged, String context) throws Exception {
        Path reads = dir.resolve("reads-" + System.nanoTime());
        Map<String, String> readAll = with(heap, "recordcount", keySpace, "operationcount", keySpace,
                "requestdistribution", "sequential", "record.file", reads, "insertproportion", "0");
        Map<String, Long> returns;
        try (ChildJvm client = Ycsb.start(false, RecordingKvClient.class.getName(), Ycsb.workload('c'), 2, readAll)) {
            assertEquals(0, client.awaitExit(Duration.ofSeconds(120)), context + "\n" + client.transcript());
            returns = Ycsb.returns(client.transcript());
        }
        Set<String> found = new HashSet<>();
        long readCount = 0;
        for (String line : Files.readAllLines(reads)) {
            String[] parts = line.split(" ");
            readCount++;
            if (parts[1].equals("OK")) {
                found.add(parts[2]);
            }
        }
        assertEquals(keySpace, readCount, context + ": the read-only run reads every key once");
        for (String key : acknowledged) {
            if (!found.contains(key)) {
                fail(context + ": acknowledged record " + key + " was not found after the restart; YCSB returns " + returns);
            }
        }
        // YCSB also fails the verification of a read that found nothing (a key whose insert was never acknowledged).
        assertEquals(returns.get("READ OK"), returns.get("VERIFY OK"), context + ": a record read back differs from what YCSB wrote: " + returns);
    }

    private static void awaitLines(Path file, int lines, ChildJvm client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && countLines(file) >= lines) {
                return;
            }
            Thread.sleep(20);
        }
        fail("the YCSB run did not witness " + lines + " operations within 90 s\n" + client.transcript());
    }

    private static long countLines(Path file) throws Exception {
        try (var stream = Files.lines(file)) {
            return stream.count();
        }
    }

    /** A copy of {@code properties} with the pairs name, value, name, value ... put in order. */
    private static Map<String, String> with(Map<String, String> properties, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs: " + java.util.Arrays.toString(namesAndValues));
        }
        Map<String, String> copy = new HashMap<>(properties);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            copy.put((String) namesAndValues[i], namesAndValues[i + 1].toString());
        }
        return Map.copyOf(copy);
    }
}
