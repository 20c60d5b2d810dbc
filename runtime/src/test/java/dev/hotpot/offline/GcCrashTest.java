package dev.hotpot.offline;

import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code gc} killed with {@code kill -9} midway, in a child JVM, leaves a heap that
 * {@code verify} accepts (reading the log the kill left without changing a byte), with every
 * block that was reachable before still reachable and every reachable object unchanged; a
 * second {@code gc} then frees the rest.
 */
class GcCrashTest {
    /** Blocks per transaction: small, so a collection of the samples takes many. */
    private static final int BATCH = 4;
    private static final int DROPPED_EXTENSIONS = 5;

    @TempDir
    Path dir;
    private List<Long> reachableBefore;
    private java.util.Map<Long, List<Byte>> objectsBefore;

    @Test
    void aGcKilledBetweenBatchesLosesNoReachableObject() throws Exception {
        Path heap = SampleHeaps.copyOfSamples(dir);
        killGc(heap, "3", child -> child.await("PAUSED", Duration.ofSeconds(60)));
        String verified = checkAfterKill(heap, "killed after batch 3");
        assertTrue(!verified.contains(" 0 log records after the checkpoint"), "the kill left batches only in the log,"
                + " which verify must have laid over the image: " + verified);
    }

    @Test
    void aGcKilledAtARandomMomentLosesNoReachableObject() throws Exception {
        Path heap = SampleHeaps.copyOfSamples(dir);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        killGc(heap, "0", child -> {
            child.await("BATCH 1", Duration.ofSeconds(60));
            Thread.sleep(random.nextInt(30));
        });
        checkAfterKill(heap, "killed at random, seed=" + seed);
    }

    /** What the test waits for before the kill. */
    @FunctionalInterface
    private interface BeforeKill {
        void await(ChildJvm child) throws Exception;
    }

    private void killGc(Path heap, String pauseAfter, BeforeKill beforeKill) throws Exception {
        reachableBefore = SampleHeaps.reachable(heap);
        objectsBefore = SampleHeaps.reachableObjects(heap);
        try (ChildJvm gc = ChildJvm.start(GcChild.class, dir.toString(), SampleHeaps.NAME, Integer.toString(BATCH),
                pauseAfter)) {
            beforeKill.await(gc);
            gc.kill();
        }
    }

    /** Checks the heap a kill left, then collects it to the end; returns what the first verify printed. */
    private String checkAfterKill(Path heap, String context) {
        var files = SampleHeaps.digests(heap);
        Commands verify = Commands.run("verify", heap);
        assertEquals(0, verify.exitCode(), () -> context + ": " + verify);
        assertEquals(files, SampleHeaps.digests(heap), context + ": verify changed the heap's files");
        SampleHeaps.assertKeptReachable(reachableBefore, SampleHeaps.reachable(heap), DROPPED_EXTENSIONS, context);
        assertEquals(objectsBefore, SampleHeaps.reachableObjects(heap), context + ": a reachable object changed");

        Commands gc = Commands.run("gc", heap);
        assertEquals(0, gc.exitCode(), () -> context + ": " + gc);
        Commands again = Commands.run("verify", heap);
        assertEquals(0, again.exitCode(), () -> context + ": " + again);
        SampleHeaps.assertKeptReachable(reachableBefore, SampleHeaps.reachable(heap), DROPPED_EXTENSIONS, context);
        assertEquals(objectsBefore, SampleHeaps.reachableObjects(heap), context + ": a reachable object changed");
        return verify.out();
    }
}
