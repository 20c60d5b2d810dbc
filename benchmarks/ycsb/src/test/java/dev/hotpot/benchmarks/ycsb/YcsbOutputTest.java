package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YcsbOutputTest {
    private static final long CAP = 100_000_000;

    @Test
    void parsesOverallAndPerOperationFiguresOfACleanRun() {
        YcsbOutput output = YcsbOutput.parse(CannedOutput.WORKLOAD_F);

        assertEquals(1000.0, output.runTimeMs());
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
        PhaseResult run = CannedOutput.phase(CannedOutput.WORKLOAD_A_WITH_ERRORS, PhaseResult.Goal.run(2, CAP), "a-run.txt");

        List<String> failures = run.failures();
        assertTrue(run.failed());
        assertTrue(failures.contains("operations that did not return OK: READ NOT_FOUND=10, UPDATE ERROR=2"), failures.toString());
        assertTrue(failures.getFirst().contains("RocksDBException"), failures.toString());
    }

    @Test
    void aClientThatCouldNotStartFailsThoughYcsbExitedWithZero() {
        PhaseResult run = CannedOutput.phase(CannedOutput.UNKNOWN_BINDING, PhaseResult.Goal.run(10, CAP), "a-run.txt");

        List<String> failures = run.failures();
        assertTrue(failures.getFirst().startsWith("java.lang.ClassNotFoundException: dev.hotpot.samples.kv.ycsb.HotpotKvClient"),
                failures.toString());
        assertTrue(failures.contains("stopped early: ran 3 ms of 10 s, 0 operations, under the cap of 100000000"),
                failures.toString());
        assertFalse(failures.stream().anyMatch(f -> f.startsWith("\tat") || f.startsWith("at ")), "no stack frames: " + failures);
    }

    @Test
    void aKilledOrCrashedChildIsAFailureEvenWithAReport() {
        YcsbOutput output = YcsbOutput.parse(CannedOutput.WORKLOAD_F);

        assertEquals(List.of("killed after 900 s"),
                new PhaseResult(-1, true, 900, output, PhaseResult.Goal.run(1, CAP), Path.of("r")).failures());
        assertEquals(List.of("exit code 134"),
                new PhaseResult(134, false, 3, output, PhaseResult.Goal.run(1, CAP), Path.of("r")).failures());
        assertEquals(List.of("no [OVERALL] Throughput in the output",
                        "stopped early: ran an unreported time of 1 s, 0 operations, under the cap of 100000000"),
                new PhaseResult(0, false, 3, YcsbOutput.parse(""), PhaseResult.Goal.run(1, CAP), Path.of("r")).failures());
    }

    @Test
    void aRunPassesIfItLastedNineTenthsOfItsSecondsOrReachedItsCap() {
        YcsbOutput oneSecond = YcsbOutput.parse(CannedOutput.WORKLOAD_F); // RunTime 1000 ms, 1000 operations

        assertEquals(List.of(), run(oneSecond, PhaseResult.Goal.run(1, CAP)).failures());
        assertEquals(List.of(), run(oneSecond, PhaseResult.Goal.run(60, 1000)).failures(), "the cap ends a run early");
        assertEquals(List.of("stopped early: ran 1000 ms of 2 s, 1000 operations, under the cap of 1001"),
                run(oneSecond, PhaseResult.Goal.run(2, 1001)).failures());
        assertTrue(run(YcsbOutput.parse(CannedOutput.WORKLOAD_F.replace("RunTime(ms), 1000", "RunTime(ms), 899")),
                PhaseResult.Goal.run(1, CAP)).failed(), "899 ms is under 90% of 1 s");
    }

    @Test
    void aRunThatDidNoOperationInItsTimeFails() {
        YcsbOutput idle = YcsbOutput.parse("[OVERALL], RunTime(ms), 2010\n[OVERALL], Throughput(ops/sec), 0.0\n");

        assertEquals(List.of("completed no operation in 2 s"), run(idle, PhaseResult.Goal.run(2, CAP)).failures());
    }

    @Test
    void aLoadFailsIfItInsertedFewerRecordsThanAskedWhateverItsTime() {
        YcsbOutput load = YcsbOutput.parse("[OVERALL], RunTime(ms), 5\n[OVERALL], Throughput(ops/sec), 180000.0\n"
                + "[INSERT], Operations, 900\n[INSERT], Return=OK, 900\n");

        assertEquals(List.of(), run(load, PhaseResult.Goal.load(900)).failures());
        assertEquals(List.of("inserted 900 of 1000 records"), run(load, PhaseResult.Goal.load(1000)).failures());
    }

    private static PhaseResult run(YcsbOutput output, PhaseResult.Goal goal) {
        return new PhaseResult(0, false, 1, output, goal, Path.of("r"));
    }
}
