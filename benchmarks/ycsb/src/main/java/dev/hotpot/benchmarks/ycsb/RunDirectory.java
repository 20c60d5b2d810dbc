package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The data directory of one run, fresh for its load JVM and deleted after its run JVM, so no run
 * sees the files of another.
 *
 * <p>Threading: stateless; one run uses a directory at a time.
 */
final class RunDirectory {
    private RunDirectory() {
    }

    /** Deletes whatever is at {@code dir} and makes it again, empty. */
    static void recreate(Path dir) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
    }

    /** Deletes {@code dir} and everything under it; nothing happens if it does not exist. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
