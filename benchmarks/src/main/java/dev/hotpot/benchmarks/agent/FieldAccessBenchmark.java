package dev.hotpot.benchmarks.agent;

import dev.hotpot.Hotpot;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Field reads and writes on a {@code @Persistent} class rewritten by the agent, against the same
 * class without the annotation, in nanoseconds per field access. Outside a transaction: one read
 * of a different object each time. Inside: {@value #BATCH} reads (or read-modify-writes) of
 * {@value #BATCH} objects in one transaction, its begin and commit included; durability
 * {@code none}, so no force is measured.
 *
 * <p>Threading: one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", AgentHeapSetup.AGENT})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class FieldAccessBenchmark {
    private static final int BATCH = 64;

    private final PlainAccount[] plain = new PlainAccount[BATCH];
    private PersistentAccount[] persistent;
    private int cursor;

    @Setup
    public void open() {
        AgentHeapSetup.open("none");
        persistent = Hotpot.transaction(() -> {
            PersistentAccount[] accounts = new PersistentAccount[BATCH];
            for (int i = 0; i < BATCH; i++) {
                accounts[i] = new PersistentAccount();
                accounts[i].balance = i;
            }
            return accounts;
        });
        for (int i = 0; i < BATCH; i++) {
            plain[i] = new PlainAccount();
            plain[i].balance = i;
        }
    }

    @Benchmark
    public long readPlain() {
        cursor = (cursor + 1) & (BATCH - 1);
        return plain[cursor].balance;
    }

    @Benchmark
    public long readOutsideTransaction() {
        cursor = (cursor + 1) & (BATCH - 1);
        return persistent[cursor].balance;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long readPlainBatch() {
        long sum = 0;
        for (PlainAccount account : plain) {
            sum += account.balance;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long readInTransaction() {
        return Hotpot.transaction(() -> {
            long sum = 0;
            for (PersistentAccount account : persistent) {
                sum += account.balance;
            }
            return sum;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writePlainBatch() {
        for (PlainAccount account : plain) {
            account.balance++;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeInTransaction() {
        Hotpot.transaction(() -> {
            for (PersistentAccount account : persistent) {
                account.balance++;
            }
        });
    }
}
