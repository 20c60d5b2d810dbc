package dev.hotpot.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file durably and whole: the new content is written and forced beside it, moved
 * over it, and the folder is forced, so that after a crash the file holds the old content or the
 * new one, never a mix.
 *
 * <p>Threading: static; callers serialise writes to one file.
 */
final class DurableFile {
    private DurableFile() {
    }

    /** Makes {@code bytes} (from its position to its limit) the content of {@code file}. */
    static void replace(Path file, ByteBuffer bytes) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
