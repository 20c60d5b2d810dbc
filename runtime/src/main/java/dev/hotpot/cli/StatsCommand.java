package dev.hotpot.cli;

import dev.hotpot.heap.HeapImage;
import dev.hotpot.offline.HeapCheck;
import dev.hotpot.offline.HeapStats;
import picocli.CommandLine.Command;


/** Prints figures about a heap ({@link HeapStats}), read offline without changing its files. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print a heap's size, use, blocks by tag and size, objects by class, roots, garbage and log, read-only.")
final class StatsCommand extends OfflineCommand {
    @Override
    public Integer call() {
        try (HeapImage image = HeapImage.open(heap.heapDirectory())) {
            HeapStats.report(image, HeapCheck.run(image)).forEach(out()::println);
        }
        return 0;
    }
}
