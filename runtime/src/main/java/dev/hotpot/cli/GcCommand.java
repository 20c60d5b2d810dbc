package dev.hotpot.cli;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.HeapFile;
import dev.hotpot.offline.Collector;
import picocli.CommandLine.Command;

import java.util.Locale;

/**
 * Collects a heap offline: opens it (recovering it if needed), frees every block its roots do not
 * reach in ordinary transactions ({@link Collector}), and says what it freed. A damaged heap is
 * refused before anything changes.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Free every block a heap's roots do not reach, offline, in logged transactions; a damaged heap is refused.")
final class GcCommand extends OfflineCommand {
    @Override
    public Integer call() {
        HeapFile.requireExisting(heap.heapDirectory());
        try (Heap opened = Heap.open(HeapConfig.builder(heap.dir, heap.heapName).build())) {
            Collector.Result freed = new Collector(opened, Collector.DEFAULT_BATCH_BLOCKS).run(Collector.Progress.NONE);
            out().println(String.format(Locale.ROOT,
                    "heap %s: freed %,d unreachable blocks (%,d bytes) in %d transactions", heap.heapName,
                    freed.blocks(), freed.bytes(), freed.batches()));
        }
        return 0;
    }
}
