package dev.hotpot.benchmarks;

import dev.hotpot.Durability;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How a heap load outside a transaction learns that the calling thread has no transaction open:
 * the heap's own answer ({@code Heap.inTransaction}, a slot per thread id holding only open
 * transactions), against the alternatives it was chosen over, a {@link ThreadLocal} lookup and an
 * unbound {@link ScopedValue}, and a plain field read as the floor. Nanoseconds per question.
 *
 * <p>Threading: one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransactionLookupBenchmark {
    private static final ThreadLocal<Object> THREAD_LOCAL = ThreadLocal.withInitial(Object::new);
    private static final ScopedValue<Object> SCOPED = ScopedValue.newInstance();

    private ScratchHeap scratch;
    private boolean plain;

    @Setup
    public void open() {
        scratch = ScratchHeap.open("lookup", Durability.NONE);
    }

    @TearDown
    public void close() {
        scratch.close();
    }

    @Benchmark
    public boolean heapInTransaction() {
        return scratch.heap().inTransaction();
    }

    @Benchmark
    public Object threadLocal() {
        return THREAD_LOCAL.get();
    }

    @Benchmark
    public boolean scopedValueUnbound() {
        return SCOPED.isBound();
    }

    @Benchmark
    public boolean plainField() {
        return plain;
    }
}
