package dev.hotpot.cluster;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dedupe table every cluster node keeps ({@link RecentCommits}), full with its million ids as
 * on a node that has run a while (half a table more was logged, so the ring has wrapped and the
 * map has evicted): ns to log the id of a new record (the oldest one leaves), ns to
 * look up a held id (a retried commit), and µs to copy the newest half for a checkpoint, which
 * every commit of the node waits out. {@code table=ring} is the node's table;
 * {@code table=linkedHashMap} is the plain-Java baseline, a {@link LinkedHashMap} of boxed longs in
 * insertion order that drops its eldest entry. It sits in the cluster's package to reach the
 * package-private table.
 *
 * <p>Threading: one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecentCommitsBenchmark {
    /** The operations both tables offer. */
    private interface Table {
        void logged(long txId, long sequence);

        long sequenceOf(long txId);

        long[] newest(int limit);
    }

    @Param({"ring", "linkedHashMap"})
    public String table;

    private Table ids;
    private long counter;
    private long lookups;

    @Setup(Level.Trial)
    public void fill() {
        ids = table.equals("ring") ? ring() : linkedHashMap();
        for (counter = 0; counter < RecentCommits.CAPACITY + RecentCommits.CAPACITY / 2; counter++) {
            ids.logged(txId(counter), counter);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void logNewId() {
        ids.logged(txId(counter), counter);
        counter++;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long lookUpHeldId() {
        // A scattered id among the newest 2^19, as a retry looks up an id of the last seconds.
        long back = (lookups++ * 0x9E3779B97F4A7C15L) >>> 45;
        return ids.sequenceOf(txId(counter - 1 - back));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long[] copyNewestForCheckpoint() {
        return ids.newest(RecentCommits.SAVED);
    }

    /** Transaction ids as nodes make them: the node index in the top bits, a counter below. */
    private static long txId(long counter) {
        return (2L << 48) | counter;
    }

    private static Table ring() {
        RecentCommits recent = new RecentCommits();
        return new Table() {
            @Override
            public void logged(long txId, long sequence) {
                recent.logged(txId, sequence);
            }

            @Override
            public long sequenceOf(long txId) {
                return recent.sequenceOf(txId);
            }

            @Override
            public long[] newest(int limit) {
                return recent.newest(limit);
            }
        };
    }

    private static Table linkedHashMap() {
        Map<Long, Long> map = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > RecentCommits.CAPACITY;
            }
        };
        return new Table() {
            @Override
            public synchronized void logged(long txId, long sequence) {
                map.put(txId, sequence);
            }

            @Override
            public synchronized long sequenceOf(long txId) {
                Long sequence = map.get(txId);
                return sequence == null ? -1 : sequence;
            }

            @Override
            public synchronized long[] newest(int limit) {
                int count = Math.min(limit, map.size());
                long[] pairs = new long[2 * count];
                int skip = map.size() - count;
                int at = 0;
                for (Map.Entry<Long, Long> entry : map.entrySet()) {
                    if (skip-- > 0) {
                        continue;
                    }
                    pairs[at++] = entry.getKey();
                    pairs[at++] = entry.getValue();
                }
                return pairs;
            }
        };
    }
}
