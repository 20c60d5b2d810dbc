package dev.hotpot.it;

import java.lang.instrument.Instrumentation;

/**
 * A second java agent, as profilers and APM tools are: it keeps its {@link Instrumentation} so a
 * test can retransform classes the hotpot agent rewrote.
 */
public final class RetransformingAgent {
    static volatile Instrumentation instrumentation;

    private RetransformingAgent() {
    }

    public static void premain(String arguments, Instrumentation inst) {
        instrumentation = inst;
    }
}
