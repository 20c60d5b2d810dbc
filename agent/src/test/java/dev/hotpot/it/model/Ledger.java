package dev.hotpot.it.model;

import dev.hotpot.Persistent;

import java.util.function.LongSupplier;
import java.util.stream.LongStream;

/**
 * Private persistent fields reached from every kind of code javac produces: nested classes
 * (nestmate access), inner and anonymous classes, lambdas, method references and streams.
 */
@Persistent
public class Ledger {
    private long total;
    private int entries;

    /** A static nested class reading and writing the outer class's private fields. */
    public static final class Auditor {
        public long audit(Ledger ledger) {
            ledger.entries += 0;
            return ledger.total * 10 + ledger.entries;
        }
    }

    /** A non-static inner class of a persistent class (itself not persistent). */
    public final class View {
        public long total() {
            return total;
        }
    }

    public void add(long amount) {
        Runnable lambda = () -> total += amount;
        lambda.run();
        new Object() {
            void count() {
                entries++;
            }
        }.count();
    }

    public long sumWithStream(int n) {
        return LongStream.rangeClosed(1, n).map(i -> i * total).sum();
    }

    public LongSupplier totalSupplier() {
        return this::currentTotal;
    }

    private long currentTotal() {
        return total;
    }

    public int entries() {
        return entries;
    }
}
