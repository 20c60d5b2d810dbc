package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which file system a directory is on, for the report: a force costs nothing on a RAM file system,
 * so durable figures measured there say nothing about a disk.
 *
 * <p>Threading: stateless.
 */
final class FileSystemType {
    private FileSystemType() {
    }

    /** The type and device of the file system of {@code dir}, for example {@code ext4 (/dev/vda1)}. */
    static String describe(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store.type() + " (" + store.name() + ")";
    }

    /** Whether a {@link #describe} text names a RAM file system. */
    static boolean isRam(String description) {
        return description.startsWith("tmpfs") || description.startsWith("ramfs");
    }
}
