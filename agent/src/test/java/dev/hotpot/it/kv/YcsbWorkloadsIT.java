package dev.hotpot.it.kv;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YCSB binding under the unmodified YCSB client: a load JVM, then a run JVM of each workload
 * with data-integrity checking (every value read is compared with the one YCSB wrote), then a
 * check JVM that scans the whole store and compares it with the keys YCSB must have written.
 */
class YcsbWorkloadsIT {
    private static final int RECORDS = 600;
    private static final int OPERATIONS = 600;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "workload {0}")
    @ValueSource(chars = {'a', 'b', 'c', 'd', 'e', 'f'})
    void loadThenRunReadsBackEverythingWritten(char workload) throws Exception {
        Map<String, String> properties = Map.of("recordcount", Integer.toString(RECORDS),
                "operationcount", Integer.toString(OPERATIONS), "dataintegrity", "true",
                "hotpot.dir", dir.toString(), "hotpot.size", "64m");
        Map<String, Long> load = Ycsb.returns(run(true, workload, properties));
        assertEquals(Map.of("INSERT OK", (long) RECORDS), load, "load");

        String output = run(false, workload, properties);
        Map<String, Long> run = Ycsb.returns(output);
        long succeeded = 0;
        for (Map.Entry<String, Long> count : run.entrySet()) {
            assertTrue(count.getKey().endsWith(" OK"), "workload " + workload + ": " + run);
            if (!count.getKey().startsWith("VERIFY")) {
                succeeded += count.getValue();
            }
        }
        // A read-modify-write is reported as its read and its update, and once more as itself, without a status.
        assertEquals(OPERATIONS + Ycsb.operations(output, "READ-MODIFY-WRITE"), succeeded, "every operation succeeded: " + run);
        if (workload != 'e') {
            assertTrue(run.getOrDefault("VERIFY OK", 0L) > 0, "reads were verified: " + run);
        }

        try (ChildJvm check = AgentJvm.start("dir=" + dir + ",heap=ycsb", Ycsb.classPath(), KvContentCheck.class.getName(), Ycsb.workload(workload).toString(), Integer.toString(RECORDS),
                Long.toString(run.getOrDefault("INSERT OK", 0L)))) {
            check.awaitSuccess(Duration.ofSeconds(60));
            assertTrue(check.transcript().contains("content ok"), check.transcript());
        }
    }

    private static String run(boolean load, char workload, Map<String, String> properties) throws Exception {
        try (ChildJvm client = Ycsb.start(load, "dev.hotpot.samples.kv.ycsb.HotpotKvClient", Ycsb.workload(workload), 2, properties)) {
            client.awaitSuccess(Duration.ofSeconds(120));
            assertTrue(client.transcript().contains("[OVERALL], RunTime(ms)"), client.transcript());
            return client.transcript();
        }
    }
}
