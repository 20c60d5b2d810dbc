package dev.hotpot.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for benchmark files, under {@code java.io.tmpdir}. That folder must be on
 * the disk being measured, not a RAM file system, or every force is free.
 *
 * <p>Threading: stateless; callers own the directories they create.
 */
public final class ScratchDirectory {
    private ScratchDirectory() {
    }

    /** Creates a fresh, empty directory whose name starts with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory in java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + "; check free space or pass -Djava.io.tmpdir", e);
        }
    }

    /** Deletes {@code directory} and everything below it; files in it must no longer be mapped or open. */
    public static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete scratch directory=" + directory + "; remove it by hand", e);
        }
    }
}
