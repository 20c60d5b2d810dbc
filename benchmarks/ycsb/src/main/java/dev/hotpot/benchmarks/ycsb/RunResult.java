package dev.hotpot.benchmarks.ycsb;

import java.util.ArrayList;
import java.util.List;

/**
 * One cell of the comparison: a workload on a system at a thread count, in a fresh data directory.
 *
 * @param workload   the workload letter, {@code a} to {@code f}
 * @param load       the load JVM, or null if the system loads inside the run JVM
 * @param run        the run JVM, or null if it was not started because the load failed
 */
record RunResult(String workload, StoreSystem system, int threads, PhaseResult load, PhaseResult run) {

    /** The failures of both phases, each prefixed with its phase. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (load != null) {
            load.failures().forEach(f -> failures.add("load: " + f));
        }
        if (run == null) {
            failures.add("run: not started because the load failed");
        } else {
            run.failures().forEach(f -> failures.add("run: " + f));
        }
        return failures;
    }

    boolean failed() {
        return !failures().isEmpty();
    }

    /** The run phase's throughput, or NaN if there is none to show. */
    double throughput() {
        return run == null ? Double.NaN : run.output().throughput();
    }

    /** The run phase's figures of one operation kind, or null. */
    YcsbOutput.OperationStats operation(String kind) {
        return run == null ? null : run.output().operation(kind);
    }

    /** Operations of the run phase that did not return OK. */
    long notOk() {
        return run == null ? 0 : run.output().errors() + run.output().notFound();
    }
}
