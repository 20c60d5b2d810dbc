package dev.hotpot.offline;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.testing.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM that collects a heap with a {@link Collector} of small batches, printing
 * {@code BATCH <n>} after each committed batch. Arguments: dir heap batchBlocks pauseAfter. After
 * batch {@code pauseAfter} (0: never) it prints {@code PAUSED} and waits to be killed, so a test
 * can kill a collection midway.
 */
public final class GcChild {
    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(120));
        int pauseAfter = Integer.parseInt(args[3]);
        try (Heap heap = Heap.open(HeapConfig.builder(Path.of(args[0]), args[1]).build())) {
            Collector.Result result = new Collector(heap, Integer.parseInt(args[2])).run((batch, blocks) -> {
                System.out.println("BATCH " + batch);
                if (batch == pauseAfter) {
                    System.out.println("PAUSED");
                    try {
                        Thread.sleep(Duration.ofSeconds(120));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            System.out.println("FREED " + result.blocks());
        }
    }
}
