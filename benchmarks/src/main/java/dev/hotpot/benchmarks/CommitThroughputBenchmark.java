package dev.hotpot.benchmarks;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.Pages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput of small {@code SYNC} transactions (one long on the thread's own page, so threads
 * never conflict) at 1, 2 and 4 threads, against each thread storing the same long into its own
 * page of a mapped file and forcing that page. Commits of concurrent threads share one log force
 * (group commit); the raw forces do not. Target: 4 threads commit at least twice as many
 * transactions per second as one.
 *
 * <p>Threading: {@link Shared} is one per trial and used by all benchmark threads; {@link Own} is
 * one per thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class CommitThroughputBenchmark {
    private static final int MAX_THREADS = 4;

    /** The heap and the baseline file that all threads of one trial share. */
    @State(Scope.Benchmark)
    public static class Shared {
        private final AtomicInteger nextSlot = new AtomicInteger();
        private ScratchHeap scratch;
        private MappedScratchFile raw;

        @Setup
        public void open() {
            scratch = ScratchHeap.open("commit-throughput", Durability.SYNC);
            raw = MappedScratchFile.create(scratch.directory().resolve("raw-force.bin"), MAX_THREADS * Pages.SIZE);
        }

        @TearDown
        public void close() {
            raw.close();
            scratch.close();
        }

        private int takeSlot() {
            int slot = nextSlot.getAndIncrement();
            if (slot >= MAX_THREADS) {
                throw new IllegalStateException("threads=" + (slot + 1) + " exceeds the baseline file's "
                        + MAX_THREADS + " pages; run with at most " + MAX_THREADS + " threads");
            }
            return slot;
        }
    }

    /** One thread's page in the heap and in the baseline file. */
    @State(Scope.Thread)
    public static class Own {
        private Heap heap;
        private long page;
        private MemorySegment rawPage;
        private long value;
        private Runnable store;

        @Setup
        public void take(Shared shared) {
            heap = shared.scratch.heap();
            page = shared.scratch.allocatePages(1);
            rawPage = shared.raw.memory().asSlice((long) shared.takeSlot() * Pages.SIZE, Pages.SIZE);
            store = () -> heap.putLong(page, ++value);
        }

        void commit() {
            heap.transaction(store);
        }

        void rawForce() {
            rawPage.set(ValueLayout.JAVA_LONG, 0, ++value);
            rawPage.force();
        }
    }

    @Benchmark
    @Threads(1)
    public void commit1Thread(Own own) {
        own.commit();
    }

    @Benchmark
    @Threads(2)
    public void commit2Threads(Own own) {
        own.commit();
    }

    @Benchmark
    @Threads(4)
    public void commit4Threads(Own own) {
        own.commit();
    }

    @Benchmark
    @Threads(1)
    public void rawForce1Thread(Own own) {
        own.rawForce();
    }

    @Benchmark
    @Threads(2)
    public void rawForce2Threads(Own own) {
        own.rawForce();
    }

    @Benchmark
    @Threads(4)
    public void rawForce4Threads(Own own) {
        own.rawForce();
    }
}
