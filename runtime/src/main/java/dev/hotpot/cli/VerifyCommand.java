package dev.hotpot.cli;

import dev.hotpot.heap.HeapImage;
import dev.hotpot.offline.HeapCheck;
import dev.hotpot.offline.Problem;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Checks a heap's structure offline without changing a byte of its files ({@link HeapCheck} over
 * a {@link HeapImage}): prints each problem with its address, and exits with
 * {@link #EXIT_DAMAGED} if there is any.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a heap's structure offline, read-only: allocator, schema, roots, objects, strings, collections."
                + " Prints each problem with its address; exits 1 if there is any.")
final class VerifyCommand extends OfflineCommand {
    static final int EXIT_DAMAGED = 1;

    @Override
    public Integer call() {
        PrintWriter out = out();
        try (HeapImage image = HeapImage.open(heap.heapDirectory())) {
            HeapCheck check = HeapCheck.run(image);
            for (Problem problem : check.problems()) {
                out.println(problem);
            }
            int[] reached = new int[1];
            check.forEachReachable(block -> reached[0]++);
            out.println("heap " + heap.heapName + ": " + (check.problems().isEmpty() ? "no problems" : check.problems().size()
                    + " problems") + " (" + reached[0] + " blocks reached from " + check.roots().size()
                    + " roots and the allocator, " + image.logRecords()
                    + " log records after the checkpoint laid over the image)");
            return check.problems().isEmpty() ? 0 : EXIT_DAMAGED;
        }
    }
}
