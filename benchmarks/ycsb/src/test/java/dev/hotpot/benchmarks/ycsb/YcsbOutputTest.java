package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YcsbOutputTest {

    @Test
    void parsesOverallAndPerOperationFiguresOfACleanRun() {
        YcsbOutput output = YcsbOutput.parse(CannedOutput.WORKLOAD_F);

        assertEquals(1000.0, output.throughput());
        YcsbOutput.OperationStats read = output.operation("READ");
        assertEquals(1000, read.count());
        assertEquals(12, read.p50Us());
        assertEquals(120, read.p99Us());
        assertEquals(1000, read.returned("OK"));
        assertEquals(2100, output.operation("READ-MODIFY-WRITE").p99Us());
        assertNull(output.operation("TOTAL_GCS_G1_Young_Generation"), "GC figures are not operations");
        assertEquals(0, output.errors());
        assertEquals(0, output.notFound());
        assertTrue(output.exceptions().isEmpty(), "no exception in " + output.exceptions());
    }

    @Test
    void countsAReadModifyWriteOnceThoughYcsbMeasuresItsReadAndUpdateToo() {
        // 500 plain reads + 500 read-modify-writes, each of which is also a READ and an UPDATE.
        assertEquals(1000, YcsbOutput.parse(CannedOutput.WORKLOAD_F).completedOperations());
    }

    @Test
    void countsErrorAndNotFoundReturnsAndFailedOperations() {
        YcsbOutput output = YcsbOutput.parse(CannedOutput.WORKLOAD_A_WITH_ERRORS);

        assertEquals(2, output.errors());
        assertEquals(10, output.notFound());
        assertEquals(1000, output.completedOperations(), "failed operations are completed operations");
        assertEquals(List.of("READ NOT_FOUND", "UPDATE ERROR"), List.copyOf(output.failedReturns().keySet()));
        assertEquals(2, output.exceptions().size());
        assertTrue(output.exceptions().getFirst().contains("No space left on device"));
    }

    @Test
    void aPhaseWithErrorReturnsFailsWithTheirCountsAndTheBindingsMessage() {
        PhaseResult run = CannedOutput.phase(CannedOutput.WORKLOAD_A_WITH_ERRORS, 1000, "a-run.txt");

        List<String> failures = run.failures();
        assertTrue(run.failed());
        assertTrue(failures.contains("operations that did not return OK: READ NOT_FOUND=10, UPDATE ERROR=2"), failures.toString());
        assertTrue(failures.getFirst().contains("RocksDBException"), failures.toString());
    }

    @Test
    void aClientThatCouldNotStartFailsThoughYcsbExitedWithZero() {
        PhaseResult run = CannedOutput.phase(CannedOutput.UNKNOWN_BINDING, 500, "a-run.txt");

        List<String> failures = run.failures();
        assertTrue(failures.getFirst().startsWith("java.lang.ClassNotFoundException: dev.hotpot.samples.kv.ycsb.HotpotKvClient"),
                failures.toString());
        assertTrue(failures.contains("completed 0 of 500 operations"), failures.toString());
        assertFalse(failures.stream().anyMatch(f -> f.startsWith("\tat") || f.startsWith("at ")), "no stack frames: " + failures);
    }

    @Test
    void aKilledOrCrashedChildIsAFailureEvenWithAReport() {
        YcsbOutput output = YcsbOutput.parse(CannedOutput.WORKLOAD_F);

        assertEquals(List.of("killed after 900 s"),
                new PhaseResult(-1, true, 900, output, 1000, Path.of("r")).failures());
        assertEquals(List.of("exit code 134"),
                new PhaseResult(134, false, 3, output, 1000, Path.of("r")).failures());
        assertEquals(List.of("no [OVERALL] Throughput in the output", "completed 0 of 1000 operations"),
                new PhaseResult(0, false, 3, YcsbOutput.parse(""), 1000, Path.of("r")).failures());
    }
}
