package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs one cell of the comparison, a workload on a system at a thread count, in a fresh data
 * directory: a load JVM ({@code site.ycsb.Client -load}, not measured, as many threads as cores,
 * writes not forced), then a run JVM ({@code -t}, measured, with the system's durability, for the
 * setup's seconds or until its operation cap). A system that loads inside its run JVM has no load
 * JVM; a failed load leaves the run unstarted.
 *
 * <p>Threading: runs its child JVMs one at a time on the calling thread; use from one thread.
 *
 * @param launcher starts the YCSB client JVMs
 * @param setup    the record count, the run phases' seconds and operation cap, and the core count
 * @param dataDir  where the run directories are made
 * @param rawDir   where each JVM's output goes, as {@code <cell>-load.txt} and {@code <cell>-run.txt}
 * @param heapSize size of a new Hotpot heap, for example {@code 512m}
 * @param keepData whether to keep the run directory afterwards
 */
record CellRunner(YcsbLauncher launcher, Setup setup, Path dataDir, Path rawDir, String heapSize, boolean keepData) {

    RunResult run(String workload, Path workloadFile, StoreSystem system, int threads)
            throws IOException, InterruptedException {
        String name = workload + "-" + system.id + "-" + threads + "t";
        Path runDir = dataDir.resolve(name);
        RunDirectory.recreate(runDir);
        long records = setup.records();
        try {
            PhaseResult load = null;
            if (!system.loadsInRunPhase()) {
                load = launcher.run(system, workloadFile, Math.max(1, setup.cores()), records, PhaseResult.Goal.load(records),
                        system.properties(runDir, true, heapSize), runDir, rawDir.resolve(name + "-load.txt"));
                if (load.failed()) {
                    return new RunResult(workload, system, threads, load, null);
                }
            }
            PhaseResult run = launcher.run(system, workloadFile, threads, records,
                    PhaseResult.Goal.run(setup.seconds(), setup.maxOperations()),
                    system.properties(runDir, false, heapSize), runDir, rawDir.resolve(name + "-run.txt"));
            return new RunResult(workload, system, threads, load, run);
        } finally {
            if (!keepData) {
                RunDirectory.delete(runDir);
            }
        }
    }
}
