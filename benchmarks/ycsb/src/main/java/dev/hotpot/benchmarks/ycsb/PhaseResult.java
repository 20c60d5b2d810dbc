package dev.hotpot.benchmarks.ycsb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one YCSB client JVM: its exit, its parsed output and what went wrong.
 *
 * @param exitCode           the JVM's exit code, or -1 if it was killed after the timeout
 * @param timedOut           whether the harness killed it
 * @param seconds            wall time of the JVM, start-up included
 * @param output             what YCSB printed
 * @param expectedOperations the record count (load) or operation count (run) it was asked for
 * @param raw                file with the JVM's standard output and error
 */
record PhaseResult(int exitCode, boolean timedOut, double seconds, YcsbOutput output,
                   long expectedOperations, Path raw) {

    /**
     * Everything that makes this phase's figures doubtful, empty if nothing: a kill, a nonzero exit,
     * a missing report, fewer operations than asked (YCSB stops a loading thread at its first failed
     * insert and exits 0 when a client fails to start), a status other than OK, an exception printed.
     * NOT_FOUND counts too: the core workloads only ask for keys that were inserted, so a missing
     * record means the store lost it, for example between the load and the run JVM.
     */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (timedOut) {
            failures.add(String.format("killed after %.0f s", seconds));
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
        if (completed < expectedOperations) {
            failures.add("completed " + completed + " of " + expectedOperations + " operations");
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
