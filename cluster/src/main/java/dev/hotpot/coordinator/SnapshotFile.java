package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;
import dev.hotpot.storage.FileStorage;
import dev.hotpot.storage.Storage;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.util.MD5FileUtil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A snapshot of the coordinator's state: one file per snapshot, named by Ratis
 * ({@code snapshot.<term>_<index>}), which lets Ratis purge the log up to that index.
 *
 * <pre>
 * file = magic:int ("HPCS", 0x48504353)  format:int (1)  bodyLength:int  body  crc32c:int (of body)
 * body = ClusterState as {@link StateCodec} writes it
 * </pre>
 *
 * Written to {@code <name>.tmp}, forced, renamed into place, then the directory forced: a crash
 * leaves either no snapshot of that name or a whole one, never a torn file under the final name.
 * Its MD5 digest file follows, also forced.
 * A snapshot of a given index always holds the same state (the state is a function of the log), so
 * one that exists already is kept.
 *
 * <p>Threading: stateless.
 */
final class SnapshotFile {
    static final int MAGIC = 0x48504353;
    static final int FORMAT = 1;
    private static final int HEADER_BYTES = 12;
    private static final Storage FILES = new FileStorage();
    private static final String RESCUE = ": it is damaged. If a majority of the other peers is healthy, empty this "
            + "peer's storage folder and restart it: it copies the state from them";

    private SnapshotFile() {
    }

    /**
     * Writes the snapshot, unless one of that name exists, and then its MD5 digest file
     * ({@code <name>.md5}, Ratis's convention: its recovery prefers the latest snapshot that has one),
     * both durably, since Ratis purges the log behind the snapshot once this returns.
     *
     * @return the snapshot's digest
     */
    static MD5Hash write(Path file, ClusterState state) throws IOException {
        if (!Files.exists(file)) {
            writeState(file, state);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
        FILES.forceFile(MD5FileUtil.getDigestFileForFile(file.toFile()).toPath());
        FILES.forceDirectory(file.getParent());
        return md5;
    }

    private static void writeState(Path file, ClusterState state) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(body)) {
            StateCodec.write(out, state);
        }
        byte[] bodyBytes = body.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bodyBytes);
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + bodyBytes.length + 4);
        bytes.putInt(MAGIC).putInt(FORMAT).putInt(bodyBytes.length).put(bodyBytes).putInt((int) crc.getValue());

        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary); // left by a crash while writing
        FILES.writeFile(temporary, bytes.array());
        FILES.move(temporary, file);
        FILES.forceDirectory(file.getParent());
    }

    static ClusterState read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        String context = "coordinator snapshot file=" + file;
        if (bytes.remaining() < HEADER_BYTES + 4 || bytes.getInt() != MAGIC) {
            throw new IOException(context + " is not a coordinator snapshot (no HPCS header)" + RESCUE);
        }
        int format = bytes.getInt();
        if (format != FORMAT) {
            throw new IOException(context + " has format=" + format + ", this version reads format=" + FORMAT
                    + ": run the Hotpot version that wrote it");
        }
        int length = bytes.getInt();
        if (length < 0 || length != bytes.remaining() - 4) {
            throw new IOException(context + " says bodyLength=" + length + " but has " + (bytes.remaining() - 4)
                    + " body bytes" + RESCUE);
        }
        byte[] body = new byte[length];
        bytes.get(body);
        CRC32C crc = new CRC32C();
        crc.update(body);
        if ((int) crc.getValue() != bytes.getInt()) {
            throw new IOException(context + " fails its CRC32C check" + RESCUE);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            ClusterState state = StateCodec.read(in);
            if (in.read() != -1) {
                throw new IOException(context + " has bytes after its state" + RESCUE);
            }
            return state;
        } catch (IllegalArgumentException | ConfigurationException e) {
            throw new IOException(context + " holds an invalid state (" + e.getMessage() + ")" + RESCUE, e);
        }
    }
}
