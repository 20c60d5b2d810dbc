package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The YCSB core workload files, {@code workloada} to {@code workloadf}, in one directory.
 *
 * <p>Threading: stateless.
 */
final class WorkloadFiles {
    private WorkloadFiles() {
    }

    /**
     * The file of one workload letter.
     *
     * @throws IllegalArgumentException if there is no such file
     */
    static Path file(Path dir, String workload) {
        Path file = dir.resolve("workload" + workload);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no workload file " + file + " for workload=" + workload
                    + "; pass --workload-dir or a letter a to f");
        }
        return file;
    }

    /** The description in the workload file's first comment line ("# YCSB core workload a: ..."), or null. */
    static String title(Path workloadFile) {
        try (Stream<String> lines = Files.lines(workloadFile)) {
            return lines.findFirst()
                    .filter(l -> l.startsWith("#"))
                    .map(l -> l.contains(": ") ? l.substring(l.indexOf(": ") + 2) : l.substring(1).strip())
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workload file " + workloadFile + ": " + e.getMessage(), e);
        }
    }
}
