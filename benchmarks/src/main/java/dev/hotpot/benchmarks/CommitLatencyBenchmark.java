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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one {@code SYNC} transaction that changes one long on each of {@code pagesDirty}
 * pages, against the raw force of the same bytes: the same longs stored into as many pages of a
 * mapped file, then {@code force()}. Target: a one-page commit within 1.3 times the raw force.
 *
 * <p>Threading: one instance per benchmark thread; run single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class CommitLatencyBenchmark {
    @Param({"1", "8", "64"})
    public int pagesDirty;

    private ScratchHeap scratch;
    private Heap heap;
    private long pages;
    private MappedScratchFile raw;
    private MemorySegment rawPages;
    private long value;
    private Runnable dirtyPages;

    @Setup
    public void open() {
        scratch = ScratchHeap.open("commit-latency", Durability.SYNC);
        heap = scratch.heap();
        pages = scratch.allocatePages(pagesDirty);
        raw = MappedScratchFile.create(scratch.directory().resolve("raw-force.bin"), pagesDirty * Pages.SIZE);
        rawPages = raw.memory();
        dirtyPages = this::dirtyHeapPages;
    }

    @TearDown
    public void close() {
        raw.close();
        scratch.close();
    }

    @Benchmark
    public void commit() {
        heap.transaction(dirtyPages);
    }

    @Benchmark
    public void rawForce() {
        value++;
        for (int i = 0; i < pagesDirty; i++) {
            rawPages.set(ValueLayout.JAVA_LONG, (long) i * Pages.SIZE, value);
        }
        rawPages.force();
    }

    /** A new value every time, so each commit logs and forces a real change. */
    private void dirtyHeapPages() {
        value++;
        for (int i = 0; i < pagesDirty; i++) {
            heap.putLong(pages + (long) i * Pages.SIZE, value);
        }
    }
}
