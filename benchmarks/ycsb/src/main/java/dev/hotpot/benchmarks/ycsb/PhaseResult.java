package dev.hotpot.benchmarks.ycsb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one YCSB client JVM: its exit, its parsed output and what went wrong.
 *
 * @param exitCode the JVM's exit code, or -1 if it was killed after the timeout
 * @param timedOut whether the harness killed it
 * @param seconds  wall time of the JVM, start-up included
 * @param output   what YCSB printed
 * @param goal     what it was asked to do
 * @param raw      file with the JVM's standard output and error
 */
record PhaseResult(int exitCode, boolean timedOut, double seconds, YcsbOutput output, Goal goal, Path raw) {

    /**
     * What a phase was asked to do: a load inserts {@code operations} records and has no time limit
     * ({@code seconds} 0); a run lasts {@code seconds} (YCSB's {@code maxexecutiontime}) unless it
     * completes {@code operations} (its {@code operationcount}) first.
     */
    record Goal(long operations, long seconds) {
        /**
         * A run that YCSB reports shorter than this share of its seconds stopped early: the terminator
         * stops the workload at the full time and the reported time adds the last operations and the
         * clients' {@code cleanup}, so a clean run never falls short of it.
         */
        static final double MIN_RUN_TIME_SHARE = 0.9;

        static Goal load(long records) {
            return new Goal(records, 0);
        }

        static Goal run(long seconds, long maxOperations) {
            if (seconds <= 0) {
                throw new IllegalArgumentException("a run phase needs seconds > 0, not seconds=" + seconds);
            }
            return new Goal(maxOperations, seconds);
        }

        boolean isLoad() {
            return seconds == 0;
        }
    }

    /**
     * Everything that makes this phase's figures doubtful, empty if nothing: a kill, a nonzero exit,
     * a missing report, a status other than OK, an exception printed, and a phase that stopped short.
     * A load stopped short if it inserted fewer records than asked (YCSB stops a loading thread at its
     * first failed insert and exits 0 when a client fails to start). A run stopped short if YCSB's run
     * time is below {@link Goal#MIN_RUN_TIME_SHARE} of its seconds while it did fewer operations than
     * its cap (its clients ended before the time was up), or if it did no operation at all.
     * NOT_FOUND counts too: the core workloads only ask for keys that were inserted, so a missing
     * record means the store lost it, for example between the load and the run JVM.
     */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (timedOut) {
            failures.add(String.format(Locale.ROOT, "killed after %.0f s", seconds));
        } else if (exitCode != 0) {
            failures.add("exit code " + exitCode);
        }
        for (String line : output.exceptions().subList(0, Math.min(3, output.exceptions().size()))) {
            failures.add(line);
        }
        if (Double.isNaN(output.throughput())) {
            failures.add("no [OVERALL] Throughput in the output");
        }
        long completed = output.completedOperations();
        if (goal.isLoad()) {
            if (completed < goal.operations()) {
                failures.add("inserted " + completed + " of " + goal.operations() + " records");
            }
        } else if (completed < goal.operations()
                && !(output.runTimeMs() >= Goal.MIN_RUN_TIME_SHARE * goal.seconds() * 1000)) {
            String ran = Double.isNaN(output.runTimeMs()) ? "an unreported time"
                    : String.format(Locale.ROOT, "%.0f ms", output.runTimeMs());
            failures.add("stopped early: ran " + ran + " of " + goal.seconds() + " s, " + completed
                    + " operations, under the cap of " + goal.operations());
        } else if (completed == 0) {
            failures.add("completed no operation in " + goal.seconds() + " s");
        }
        Map<String, Long> failed = output.failedReturns();
        if (!failed.isEmpty()) {
            List<String> counts = new ArrayList<>();
            failed.forEach((status, count) -> counts.add(status + "=" + count));
            failures.add("operations that did not return OK: " + String.join(", ", counts));
        }
        return failures;
    }

    boolean failed() {
        return !failures().isEmpty();
    }
}
