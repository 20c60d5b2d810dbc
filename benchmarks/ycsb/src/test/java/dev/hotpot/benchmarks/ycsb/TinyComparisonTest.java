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

/** A real comparison in child JVMs, as small as it gets: workload A, 200 records, memory and rocksdb-sync. */
class TinyComparisonTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runsLoadAndRunJvmsAndWritesTheReports(@TempDir Path out, @TempDir Path data) throws Exception {
        Path project = Path.of("../..").toAbsolutePath().normalize();

        int exit = new CommandLine(new Comparison()).execute("--project", project.toString(), "--workloads", "a",
                "--systems", "memory,rocksdb-sync", "--threads", "1,2", "--records", "200", "--operations", "200",
                "--volatile-operations", "400", "--out", out.toString(), "--data", data.toString(), "--timeout", "50");

        String md = Files.readString(out.resolve("results.md"));
        assertEquals(0, exit, md);
        assertTrue(md.matches("(?s).*\\| memory \\| 1 \\| [0-9,]+ \\| [0-9.,]+ / [0-9.,]+ \\| [0-9.,]+ / [0-9.,]+ \\| 0 \\|.*"), md);
        assertTrue(md.matches("(?s).*\\| rocksdb-sync \\| 2 \\| [0-9,]+ \\| [0-9.,]+ / [0-9.,]+ \\| [0-9.,]+ / [0-9.,]+ \\| 0 \\|.*"), md);
        assertTrue(md.contains("None: every load and run completed"), md);
        assertTrue(Files.readString(out.resolve("chart.svg")).startsWith("<svg"));
        assertTrue(Files.readString(out.resolve("raw/a-rocksdb-sync-1t-load.txt")).contains("[INSERT], Return=OK, 200"));
        assertTrue(Files.readString(out.resolve("raw/a-memory-2t-run.txt")).contains("[OVERALL], Throughput(ops/sec)"));
        assertFalse(Files.exists(out.resolve("raw/a-memory-1t-load.txt")), "memory loads in its run JVM");
        try (var left = Files.list(data)) {
            assertEquals(0, left.count(), "run directories are deleted");
        }
    }
}
