package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare --cluster 3} as small as it gets: workload A at 1 thread on 200 records, on a
 * 3-node Hotpot cluster and, if {@code etcd} is on the PATH, on 3 etcd members (else it says so
 * and compares Hotpot alone). The run lasts 12 s, since the client node joins the cluster inside it,
 * which takes seconds on a busy machine.
 */
class TinyClusterComparisonTest {

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void runsBothClustersAndWritesTheClusterReports(@TempDir Path out, @TempDir Path data) throws Exception {
        Path project = Path.of("../..").toAbsolutePath().normalize();
        boolean withEtcd = EtcdCluster.binary().isPresent();
        if (!withEtcd) {
            System.out.println("TinyClusterComparisonTest: no etcd on the PATH (apt-get install etcd-server): Hotpot only");
        }

        int exit = new CommandLine(new Comparison()).execute("--project", project.toString(), "--cluster", "3",
                "--workloads", "a", "--systems", withEtcd ? "hotpot-cluster,etcd" : "hotpot-cluster", "--threads", "1",
                "--records", "200", "--seconds", "12", "--out", out.toString(), "--data", data.toString(),
                "--timeout", "100");

        String md = Files.readString(out.resolve("results-cluster.md"));
        assertEquals(0, exit, md);
        String row = "(?s).*\\| %s \\| 1 \\| [0-9,]+ \\| [0-9.,]+ / [0-9.,]+ \\| [0-9.,]+ / [0-9.,]+ \\| 0 \\|.*";
        assertTrue(md.matches(row.formatted("hotpot-cluster")), md);
        if (withEtcd) {
            assertTrue(md.matches(row.formatted("etcd")), md);
            assertTrue(md.matches("(?s).*\\| update p50 at 1 thread, etcd / Hotpot ≥ 5× \\| A \\| [0-9.,]+ µs \\| [0-9.,]+ µs"
                    + " \\| [0-9.]+× \\| (yes|no) \\|.*"), md);
            assertTrue(Files.readString(out.resolve("raw-cluster/etcd-e3.log")).contains("ready to serve client requests"));
        }
        assertTrue(md.contains("None: every load inserted all its records"), md);
        assertTrue(Files.readString(out.resolve("chart-cluster.svg")).startsWith("<svg"));
        String run = Files.readString(out.resolve("raw-cluster/a-hotpot-cluster-1t-run.txt"));
        assertTrue(run.lines().findFirst().orElseThrow().contains("-p hotpot.node=n3"), run);
        assertTrue(run.contains("node n3 follows primary"), "the client node is a backup of n1 or n2: " + run);
        assertTrue(Files.readString(out.resolve("raw-cluster/hotpot-cluster-load.txt")).contains("[INSERT], Return=OK, 200"));
        try (var left = Files.list(data)) {
            assertEquals(0, left.count(), "cluster directories are deleted");
        }
    }
}
