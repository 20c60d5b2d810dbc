package dev.hotpot.benchmarks.ycsb;

import java.nio.file.Path;

/** YCSB 0.17.0 output as the client prints it, for tests that need no child JVM. */
final class CannedOutput {
    private CannedOutput() {
    }

    /** A clean run of workload F: reads, read-modify-writes (with their reads and updates), all OK. */
    static final String WORKLOAD_F = """
            YCSB Client 0.17.0

            Loading workload...
            Starting test.
            DBWrapper: report latency for each error is false and specific error codes to track for latency are: []
            2026-01-01 10:00:01:000 1 sec: 1000 operations; 1000 current ops/sec; [READ: Count=1500, Max=900, Min=3, Avg=20.5, 90=40, 99=120, 99.9=800, 99.99=900]
            [OVERALL], RunTime(ms), 1000
            [OVERALL], Throughput(ops/sec), 1000.0
            [TOTAL_GCS_G1_Young_Generation], Count, 1
            [TOTAL_GC_TIME_G1_Young_Generation], Time(ms), 3
            [READ], Operations, 1000
            [READ], AverageLatency(us), 20.5
            [READ], MinLatency(us), 3
            [READ], MaxLatency(us), 900
            [READ], 50thPercentileLatency(us), 12
            [READ], 99thPercentileLatency(us), 120
            [READ], Return=OK, 1000
            [READ-MODIFY-WRITE], Operations, 500
            [READ-MODIFY-WRITE], AverageLatency(us), 400.25
            [READ-MODIFY-WRITE], MinLatency(us), 200
            [READ-MODIFY-WRITE], MaxLatency(us), 5000
            [READ-MODIFY-WRITE], 50thPercentileLatency(us), 350
            [READ-MODIFY-WRITE], 99thPercentileLatency(us), 2100
            [CLEANUP], Operations, 1
            [CLEANUP], AverageLatency(us), 500.0
            [CLEANUP], 50thPercentileLatency(us), 500
            [CLEANUP], 99thPercentileLatency(us), 500
            [UPDATE], Operations, 500
            [UPDATE], AverageLatency(us), 380.0
            [UPDATE], MinLatency(us), 190
            [UPDATE], MaxLatency(us), 4900
            [UPDATE], 50thPercentileLatency(us), 330
            [UPDATE], 99thPercentileLatency(us), 2000
            [UPDATE], Return=OK, 500
            """;

    /** A run of workload A where the binding failed some updates and lost some records. */
    static final String WORKLOAD_A_WITH_ERRORS = """
            YCSB Client 0.17.0
            Starting test.
            rocksdb: update of key=user123 failed: org.rocksdb.RocksDBException: IO error: No space left on device
            rocksdb: update of key=user456 failed: org.rocksdb.RocksDBException: IO error: No space left on device
            [OVERALL], RunTime(ms), 2000
            [OVERALL], Throughput(ops/sec), 500.0
            [READ], Operations, 490
            [READ], AverageLatency(us), 30.0
            [READ], 50thPercentileLatency(us), 25
            [READ], 99thPercentileLatency(us), 90
            [READ], Return=OK, 490
            [READ], Return=NOT_FOUND, 10
            [READ-FAILED], Operations, 10
            [READ-FAILED], AverageLatency(us), 15.0
            [UPDATE], Operations, 498
            [UPDATE], AverageLatency(us), 600.0
            [UPDATE], 50thPercentileLatency(us), 450
            [UPDATE], 99thPercentileLatency(us), 3000
            [UPDATE], Return=OK, 498
            [UPDATE], Return=ERROR, 2
            [UPDATE-FAILED], Operations, 2
            """;

    /** A client whose binding class could not be loaded: YCSB prints the exception and reports nothing done. */
    static final String UNKNOWN_BINDING = """
            YCSB Client 0.17.0
            Loading workload...
            Starting test.
            java.lang.ClassNotFoundException: dev.hotpot.samples.kv.ycsb.HotpotKvClient
            \tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:580)
            \tat site.ycsb.DBFactory.newDB(DBFactory.java:38)
            Exception in thread "Thread-2" java.lang.NullPointerException: Cannot invoke "site.ycsb.DB.init()" because "this.db" is null
            [OVERALL], RunTime(ms), 3
            [OVERALL], Throughput(ops/sec), 0.0
            """;

    /** The goal of the canned run phases: one second, under the default cap. */
    static final PhaseResult.Goal ONE_SECOND = PhaseResult.Goal.run(1, 100_000_000);

    /** A successful run phase of {@link #ONE_SECOND} with {@code operations} operations, the given throughput and latencies. */
    static PhaseResult run(long operations, double throughput, double readP50, double readP99, double updateP50, double updateP99) {
        long reads = operations / 2;
        long updates = operations - reads;
        String text = "[OVERALL], RunTime(ms), 1004\n"
                + "[OVERALL], Throughput(ops/sec), " + throughput + "\n"
                + "[READ], Operations, " + reads + "\n"
                + "[READ], 50thPercentileLatency(us), " + readP50 + "\n"
                + "[READ], 99thPercentileLatency(us), " + readP99 + "\n"
                + "[READ], Return=OK, " + reads + "\n"
                + "[UPDATE], Operations, " + updates + "\n"
                + "[UPDATE], 50thPercentileLatency(us), " + updateP50 + "\n"
                + "[UPDATE], 99thPercentileLatency(us), " + updateP99 + "\n"
                + "[UPDATE], Return=OK, " + updates + "\n";
        return new PhaseResult(0, false, 1.5, YcsbOutput.parse(text), ONE_SECOND, Path.of("raw", "x-run.txt"));
    }

    static PhaseResult phase(String text, PhaseResult.Goal goal, String rawName) {
        return new PhaseResult(0, false, 1.0, YcsbOutput.parse(text), goal, Path.of("raw", rawName));
    }
}
