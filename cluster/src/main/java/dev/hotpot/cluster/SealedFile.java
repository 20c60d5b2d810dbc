package dev.hotpot.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A small file replaced durably and whole, its content sealed by the CRC32C of its bytes (4 bytes,
 * big-endian, at the end): the new content and its checksum are written and forced beside the
 * file, moved over it, and the folder is forced, so that after a crash the file holds the old
 * content or the new one, never a mix; a reader checks the seal ({@link #isSealed}).
 *
 * <p>Threading: static; callers serialise writes to one file.
 */
final class SealedFile {
    /** The bytes of the checksum after the content. */
    static final int CHECKSUM_BYTES = 4;

    private SealedFile() {
    }

    /** Makes {@code content} (from its position to its limit), then its checksum, the bytes of {@code file}. */
    static void replace(Path file, ByteBuffer content) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(content.duplicate());
        ByteBuffer checksum = ByteBuffer.allocate(CHECKSUM_BYTES).putInt((int) crc.getValue()).flip();
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer[] bytes = {content, checksum};
            while (checksum.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /** Whether {@code bytes}, all of a file {@link #replace} wrote, end with the checksum of the bytes before it. */
    static boolean isSealed(byte[] bytes) {
        if (bytes.length < CHECKSUM_BYTES) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
        return ByteBuffer.wrap(bytes).getInt(bytes.length - CHECKSUM_BYTES) == (int) crc.getValue();
    }
}
