package dev.hotpot.benchmarks.ycsb;

import java.util.List;
import java.util.Map;

/**
 * What the report says about how the figures were made.
 *
 * @param date               when the comparison started (ISO local date-time)
 * @param cores              processors available to the harness JVM
 * @param os                 operating system name, version and architecture
 * @param jdk                version and vendor of the JVM every child runs on
 * @param dataDir            where the stores' files were
 * @param fileSystem         type and device of the file system of {@code dataDir}
 * @param records            records loaded per run
 * @param seconds            how long each run phase lasts (YCSB's {@code maxexecutiontime})
 * @param maxOperations      the operation cap of a run phase (its {@code operationcount})
 * @param threads            the client thread counts
 * @param workloadTitles     per workload letter, the description from its workload file
 * @param clusterNodes       the nodes of each clustered system's cluster, or 0 for the single-node comparison
 */
record Setup(String date, int cores, String os, String jdk, String dataDir, String fileSystem, long records,
             long seconds, long maxOperations, List<Integer> threads, Map<String, String> workloadTitles,
             int clusterNodes) {

    Setup {
        threads = List.copyOf(threads);
        workloadTitles = Map.copyOf(workloadTitles);
    }

    /** Whether this is the cluster comparison ({@code --cluster}). */
    boolean cluster() {
        return clusterNodes > 0;
    }

    /** The report's file name, {@code results.md} or {@code results-cluster.md}. */
    String reportName() {
        return cluster() ? "results-cluster.md" : "results.md";
    }

    /** The chart's file name, {@code chart.svg} or {@code chart-cluster.svg}. */
    String chartName() {
        return cluster() ? "chart-cluster.svg" : "chart.svg";
    }

    /** Where each client JVM's output goes, under the results directory: {@code raw} or {@code raw-cluster}. */
    String rawName() {
        return cluster() ? "raw-cluster" : "raw";
    }

    /** Whether the data directory is on a RAM file system, where a force costs nothing. */
    boolean onRamFileSystem() {
        return FileSystemType.isRam(fileSystem);
    }
}
