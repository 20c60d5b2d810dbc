package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs every cell of one clustered system ({@link StoreSystem#clustered}) on one 3-node cluster:
 * starts the cluster in a fresh directory, loads the records once with a load JVM ({@link
 * #loadThreads} threads, not measured, with the system's durability, since neither clustered system
 * can load otherwise), then runs each workload at each thread count in a run JVM of its own,
 * every workload at the first thread count, then every one at the next, and stops the cluster. The
 * workloads share the loaded records: the core workloads A, B, C and F read and update records of
 * one shape and insert none, so a run leaves the next the same records, some with other values. A
 * cluster that does not start, or a failed load, fails every cell of the system with its error.
 *
 * <p>Threading: runs its child processes from the calling thread; use from one thread.
 *
 * @param launcher starts the YCSB client JVMs
 * @param setup    the record count, the run phases' seconds and operation cap
 * @param dataDir  where the system's cluster directory is made
 * @param rawDir   where each client JVM's output ({@code <cell>-run.txt}, {@code <system>-load.txt})
 *                 and each cluster member's log go
 * @param heapSize size of the Hotpot heap, for example {@code 1024m}
 * @param keepData whether to keep the cluster directory afterwards
 */
record ClusterCells(YcsbLauncher launcher, Setup setup, Path dataDir, Path rawDir, String heapSize, boolean keepData) {
    /**
     * Threads of the load JVM: Hotpot's with one, since its inserts all change the one sorted map
     * and each commits through the primary in another JVM, so with a few threads on a busy machine
     * some conflicted with each other up to the retry limit; etcd's with 8, since each insert waits
     * for two fsyncs and etcd batches concurrent ones.
     */
    static int loadThreads(StoreSystem system) {
        return system == StoreSystem.HOTPOT_CLUSTER ? 1 : 8;
    }

    /**
     * Runs {@code workloads} (letter to workload file; the first file also drives the load) at every
     * thread count of the setup on {@code system}, handing each result to {@code done} as it comes.
     */
    void run(StoreSystem system, Map<String, Path> workloads, Consumer<RunResult> done)
            throws IOException, InterruptedException {
        Path dir = dataDir.resolve(system.id);
        RunDirectory.recreate(dir);
        Path firstFile = workloads.values().iterator().next();
        long records = setup.records();
        try {
            PeerCluster cluster;
            try {
                cluster = start(system, dir);
            } catch (IOException | RuntimeException e) {
                PhaseResult failed = startFailure(system, e);
                workloads.keySet().forEach(workload -> setup.threads().forEach(
                        threads -> done.accept(new RunResult(workload, system, threads, failed, null))));
                return;
            }
            try (cluster) {
                YcsbLauncher launcher = this.launcher.withJvmArgs(cluster.clientJvmOptions());
                PhaseResult load = launcher.run(system, firstFile, loadThreads(system), records, PhaseResult.Goal.load(records),
                        properties(system, cluster, dir, true), dir, rawDir.resolve(system.id + "-load.txt"));
                // Thread count by thread count: no run with few threads follows a heavy one, whose
                // checkpoints and write-back would still load the disk.
                for (int threads : setup.threads()) {
                    for (Map.Entry<String, Path> workload : workloads.entrySet()) {
                        PhaseResult run = load.failed() ? null : launcher.run(system, workload.getValue(), threads,
                                records, PhaseResult.Goal.run(setup.seconds(), setup.maxOperations()),
                                properties(system, cluster, dir, false), dir,
                                rawDir.resolve(workload.getKey() + "-" + system.id + "-" + threads + "t-run.txt"));
                        done.accept(new RunResult(workload.getKey(), system, threads, load, run));
                    }
                }
            }
        } finally {
            if (!keepData) {
                RunDirectory.delete(dir);
            }
        }
    }

    private PeerCluster start(StoreSystem system, Path dir) throws IOException, InterruptedException {
        return switch (system) {
            case HOTPOT_CLUSTER -> HotpotCluster.start(launcher.java(), launcher.agentJar(), dir, rawDir,
                    StoreSystem.CLUSTER_HEAP, heapSize);
            case ETCD -> EtcdCluster.start(PeerCluster.MEMBERS, dir, rawDir);
            default -> throw new IllegalArgumentException("system=" + system.id + " does not run on a cluster");
        };
    }

    /** A cluster that did not start, as a failed load phase whose raw output is the error's stack trace. */
    private PhaseResult startFailure(StoreSystem system, Exception e) throws IOException {
        Path raw = rawDir.resolve(system.id + "-start.txt");
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Files.writeString(raw, "# starting the " + system.id + " cluster failed\n" + trace, StandardCharsets.UTF_8);
        return new PhaseResult(-1, false, 0, YcsbOutput.parse(trace.toString()), PhaseResult.Goal.load(setup.records()), raw);
    }

    private Map<String, String> properties(StoreSystem system, PeerCluster cluster, Path dir, boolean loadPhase) {
        Map<String, String> properties = new LinkedHashMap<>(system.properties(dir, loadPhase, heapSize));
        properties.putAll(cluster.clientProperties());
        return properties;
    }
}
