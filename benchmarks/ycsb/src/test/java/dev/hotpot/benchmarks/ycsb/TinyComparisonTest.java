package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real comparison in child JVMs, as small as it gets: workload A, 200 records, memory and rocksdb-sync, 1 s runs. */
class TinyComparisonTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runsLoadAndRunJvmsAndWritesTheReports(@TempDir Path out, @TempDir Path data) throws Exception {
        Path project = Path.of("../..").toAbsolutePath().normalize();

        int exit = new CommandLine(new Comparison()).execute("--project", project.toString(), "--workloads", "a",
                "--systems", "memory,rocksdb-sync", "--threads", "1,2", "--records", "200", "--seconds", "1",
                "--out", out.toString(), "--data", data.toString(), "--timeout", "50");

        String md = Files.readString(out.resolve("results.md"));
        assertEquals(0, exit, md);
        assertTrue(md.matches("(?s).*\\| memory \\| 1 \\| [0-9,]+ \\| [0-9.,]+ / [0-9.,]+ \\| [0-9.,]+ / [0-9.,]+ \\| 0 \\|.*"), md);
        assertTrue(md.matches("(?s).*\\| rocksdb-sync \\| 2 \\| [0-9,]+ \\| [0-9.,]+ / [0-9.,]+ \\| [0-9.,]+ / [0-9.,]+ \\| 0 \\|.*"), md);
        assertTrue(md.contains("None: every load inserted all its records, every run lasted its 1 s"), md);
        assertTrue(Files.readString(out.resolve("chart.svg")).startsWith("<svg"));
        assertTrue(Files.readString(out.resolve("raw/a-rocksdb-sync-1t-load.txt")).contains("[INSERT], Return=OK, 200"));
        String run = Files.readString(out.resolve("raw/a-memory-2t-run.txt"));
        assertTrue(run.contains("[OVERALL], Throughput(ops/sec)"), run);
        assertTrue(run.lines().findFirst().orElseThrow().contains("-p operationcount=2000000 -p maxexecutiontime=1"), run);
        assertTrue(run.contains("Maximum time elapsed. Requesting stop for the workload."), "the time ended the run: " + run);
        assertFalse(Files.readString(out.resolve("raw/a-rocksdb-sync-2t-load.txt")).contains("maxexecutiontime"),
                "a load inserts all its records, however long it takes");
        assertFalse(Files.exists(out.resolve("raw/a-memory-1t-load.txt")), "memory loads in its run JVM");
        try (var left = Files.list(data)) {
            assertEquals(0, left.count(), "run directories are deleted");
        }
    }
}
