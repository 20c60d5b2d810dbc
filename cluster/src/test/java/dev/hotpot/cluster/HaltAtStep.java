package dev.hotpot.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Halts the JVM, as {@code kill -9} would, the {@code hotpot.test.haltAfter}-th time this node
 * reaches step {@code hotpot.test.haltAt} of the replication protocol. It prints
 * {@code HALT at <step>} first, so the test can tell that the step was taken.
 */
public final class HaltAtStep implements ProtocolSteps {
    private final Step step = Step.valueOf(System.getProperty("hotpot.test.haltAt"));
    private final int after = Integer.getInteger("hotpot.test.haltAfter", 1);
    private final AtomicInteger reached = new AtomicInteger();

    @Override
    public void reached(Step taken) {
        if (taken == step && reached.incrementAndGet() == after) {
            System.out.println("HALT at " + step);
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }
}
