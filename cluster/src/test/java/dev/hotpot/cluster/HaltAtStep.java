package dev.hotpot.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Halts the JVM, as {@code kill -9} would, the {@code hotpot.test.haltAfter}-th time this node
 * reaches step {@code hotpot.test.haltAt} of the replication protocol, if no node of the test did
 * yet: the first to create the file {@code hotpot.test.haltMarker} halts, so a run loses one node
 * there rather than all in a cascade. It prints {@code HALT at <step>} first, so the test can tell
 * that the step was taken.
 */
public final class HaltAtStep implements ProtocolSteps {
    private final Step step = Step.valueOf(System.getProperty("hotpot.test.haltAt"));
    private final int after = Integer.getInteger("hotpot.test.haltAfter", 1);
    private final AtomicInteger reached = new AtomicInteger();
    private final java.nio.file.Path marker = java.nio.file.Path.of(System.getProperty("hotpot.test.haltMarker"));

    @Override
    public void reached(Step taken) {
        if (taken == step && reached.incrementAndGet() == after && claim()) {
            System.out.println("HALT at " + step);
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }

    private boolean claim() {
        try {
            java.nio.file.Files.createFile(marker);
            return true;
        } catch (java.io.IOException taken) {
            return false;
        }
    }
}
