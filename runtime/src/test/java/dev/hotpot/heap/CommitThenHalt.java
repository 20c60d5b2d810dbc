package dev.hotpot.heap;

import dev.hotpot.testing.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM: commits {@code count} transactions (slot i of root "values" := i + 1, one per
 * transaction, none checkpointed), prints DONE and halts without closing, as a crash would; with
 * {@code hold}, it keeps the heap open until killed instead.
 */
public final class CommitThenHalt {
    static HeapConfig config(Path dir) {
        return HeapConfig.builder(dir, "values").size(4L << 20).logSegmentBytes(1 << 20).checkpointLogBytes(64L << 20).build();
    }

    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        Heap heap = Heap.open(config(Path.of(args[0])));
        int count = Integer.parseInt(args[1]);
        long values = heap.transaction(() -> {
            long block = heap.allocate(8L * count);
            heap.setRoot("values", block);
            return block;
        });
        for (int i = 0; i < count; i++) {
            heap.putLong(values + 8L * i, i + 1);
        }
        System.out.println("DONE");
        System.out.flush();
        if (args.length > 2 && args[2].equals("hold")) {
            Thread.sleep(Duration.ofSeconds(60));
        }
        Runtime.getRuntime().halt(0);
    }
}
