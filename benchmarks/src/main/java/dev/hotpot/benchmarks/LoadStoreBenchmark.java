package dev.hotpot.benchmarks;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heap loads and stores against the same accesses to a plain {@code long[]}, in nanoseconds per
 * access: one load outside any transaction; {@value #BATCH} loads inside one read-only transaction;
 * {@value #BATCH} stores to one page inside one transaction, its commit included. Loads cycle over
 * {@value #SLOTS} slots in both the heap and the array.
 *
 * <p>Durability is {@code NONE}: a commit appends its redo record but never waits for a force, so
 * the figures are CPU cost only.
 *
 * <p>Threading: one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class LoadStoreBenchmark {
    private static final int SLOTS = 1024;
    private static final int SLOT_MASK = SLOTS - 1;
    private static final int BATCH = 64;

    private final long[] array = new long[SLOTS];
    private ScratchHeap scratch;
    private Heap heap;
    /** Address of {@value #SLOTS} longs, spanning three pages. */
    private long slots;
    /** Address of a page whose first {@value #BATCH} longs the store benchmark writes. */
    private long page;
    private int cursor;
    private long value;
    private Supplier<Long> loadBatch;
    private Runnable storeBatch;

    @Setup
    public void open() {
        scratch = ScratchHeap.open("load-store", Durability.NONE);
        heap = scratch.heap();
        slots = heap.allocate((long) SLOTS * Long.BYTES);
        page = scratch.allocatePages(1);
        for (int i = 0; i < SLOTS; i++) {
            array[i] = i;
            heap.putLong(slotAddress(i), i);
        }
        loadBatch = this::loadBatchFromHeap;
        storeBatch = this::storeBatchToHeap;
    }

    @TearDown
    public void close() {
        scratch.close();
    }

    @Benchmark
    public long loadOutsideTransaction() {
        cursor = (cursor + 1) & SLOT_MASK;
        return heap.getLong(slotAddress(cursor));
    }

    @Benchmark
    public long loadArray() {
        cursor = (cursor + 1) & SLOT_MASK;
        return array[cursor];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long loadInTransaction() {
        return heap.transaction(loadBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long loadArrayBatch() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += array[(cursor + i) & SLOT_MASK];
        }
        cursor = (cursor + BATCH) & SLOT_MASK;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void storeInTransaction() {
        heap.transaction(storeBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void storeArrayBatch() {
        value += BATCH;
        for (int i = 0; i < BATCH; i++) {
            array[i] = value + i;
        }
    }

    private Long loadBatchFromHeap() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += heap.getLong(slotAddress((cursor + i) & SLOT_MASK));
        }
        cursor = (cursor + BATCH) & SLOT_MASK;
        return sum;
    }

    /** New values every time, so the commit has a non-empty diff to log. */
    private void storeBatchToHeap() {
        value += BATCH;
        for (int i = 0; i < BATCH; i++) {
            heap.putLong(page + (long) i * Long.BYTES, value + i);
        }
    }

    private long slotAddress(int slot) {
        return slots + (long) slot * Long.BYTES;
    }
}
