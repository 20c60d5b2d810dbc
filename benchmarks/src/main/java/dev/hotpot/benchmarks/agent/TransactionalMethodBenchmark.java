package dev.hotpot.benchmarks.agent;

import dev.hotpot.benchmarks.MappedScratchFile;
import dev.hotpot.benchmarks.ScratchDirectory;
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

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A near-empty {@code @Transactional} method (one field incremented) at durability {@code none}
 * and {@code sync}, in microseconds per call. Baselines in the same fork: the same method on a
 * plain object, and a raw {@code force()} of one dirty page of a mapped file (what a {@code sync}
 * commit cannot beat).
 *
 * <p>Threading: one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", AgentHeapSetup.AGENT})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class TransactionalMethodBenchmark {
    @Param({"none", "sync"})
    public String durability;

    private final PlainAccount plain = new PlainAccount();
    private PersistentAccount persistent;
    private MappedScratchFile rawFile;
    private Path rawDirectory;
    private long rawValue;

    @Setup
    public void open() throws Exception {
        AgentHeapSetup.open(durability);
        persistent = new PersistentAccount();
        rawDirectory = ScratchDirectory.create("hotpot-raw-force-");
        rawFile = MappedScratchFile.create(rawDirectory.resolve("raw"), 4096);
    }

    @TearDown
    public void close() throws Exception {
        rawFile.close();
        ScratchDirectory.delete(rawDirectory);
    }

    @Benchmark
    public void transactionalIncrement() {
        persistent.increment();
    }

    @Benchmark
    public void plainIncrement() {
        plain.increment();
    }

    @Benchmark
    public void rawForce() {
        rawFile.memory().set(ValueLayout.JAVA_LONG, 0, ++rawValue);
        rawFile.memory().force();
    }
}
