package dev.hotpot.benchmarks.ycsb;

import site.ycsb.Status;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reports a failed operation of a binding on standard error before the binding returns
 * {@code Status.ERROR}, which YCSB counts as {@code Return=ERROR}. Only the first
 * {@value #PRINTED} failures of a JVM are printed, so a binding that fails every operation does
 * not flood the raw output; the count in YCSB's report is exact either way.
 *
 * <p>Threading: safe from any thread.
 */
final class BindingErrors {
    static final int PRINTED = 10;
    private static final AtomicInteger REPORTED = new AtomicInteger();

    private BindingErrors() {
    }

    /** One operation of a binding against its store, which may fail with whatever the store throws. */
    @FunctionalInterface
    interface Body {
        Status run() throws Exception;
    }

    /**
     * Runs one operation of {@code binding}; if it throws, the failure is {@linkplain #report reported}
     * and the operation returns {@code Status.ERROR}.
     */
    static Status attempt(String binding, String operation, String key, Body body) {
        try {
            return body.run();
        } catch (Exception e) {
            report(binding, operation, key, e);
            return Status.ERROR;
        }
    }

    static void report(String binding, String operation, String key, Exception e) {
        int n = REPORTED.incrementAndGet();
        if (n <= PRINTED) {
            System.err.println(binding + ": " + operation + " of key=" + key + " failed: " + e);
        }
        if (n == PRINTED) {
            System.err.println(binding + ": further failures are counted by YCSB but not printed");
        }
    }
}
