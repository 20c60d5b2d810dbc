package dev.hotpot.cluster;

import dev.hotpot.HotpotException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file that keeps {@link RecentCommits} across checkpoints and restarts: the transaction ids
 * of records that left the log for the page image. Format: magic {@code HPRC}, version 1, count,
 * then {@code count} pairs of longs (txId, sequence), oldest first, then the CRC32C of all the
 * bytes before it; big-endian.
 *
 * <p>Invariants: the file on disk is always whole: a new one is written and forced beside it, then
 * moved over it ({@link SealedFile}, which writes and checks the CRC32C).
 *
 * <p>Threading: static; callers serialise writes to one file.
 */
final class RecentCommitsFile {
    private static final int MAGIC = 0x48505243;
    private static final int VERSION = 1;
    private static final int HEADER = 12;

    private RecentCommitsFile() {
    }

    /** Writes the newest {@code limit} ids of {@code recent} to {@code file}, durably. */
    static void save(RecentCommits recent, int limit, Path file) {
        long[] pairs = recent.newest(limit);
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + 8 * pairs.length);
        bytes.putInt(MAGIC).putInt(VERSION).putInt(pairs.length / 2);
        for (long value : pairs) {
            bytes.putLong(value);
        }
        try {
            SealedFile.replace(file, bytes.flip());
        } catch (IOException e) {
            throw new HotpotException("cannot write the recent transaction ids to " + file + " (" + e + ")", e);
        }
    }

    /** Adds the ids in {@code file}, if it exists, to {@code recent}. */
    static void load(Path file, RecentCommits recent) {
        if (!Files.exists(file)) {
            return;
        }
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new HotpotException("cannot read the recent transaction ids in " + file + " (" + e + ")", e);
        }
        if (bytes.remaining() < HEADER + SealedFile.CHECKSUM_BYTES || bytes.getInt() != MAGIC
                || bytes.getInt() != VERSION) {
            throw corrupt(file, "not a file of recent transaction ids");
        }
        int count = bytes.getInt();
        if (count < 0 || bytes.capacity() != HEADER + 16L * count + SealedFile.CHECKSUM_BYTES) {
            throw corrupt(file, "its length does not match its count of " + count);
        }
        if (!SealedFile.isSealed(bytes.array())) {
            throw corrupt(file, "its checksum does not match");
        }
        for (int i = 0; i < count; i++) {
            recent.logged(bytes.getLong(), bytes.getLong());
        }
    }

    private static HotpotException corrupt(Path file, String why) {
        return new HotpotException("the recent transaction ids in " + file + " cannot be read: " + why + "; without"
                + " them a commit retried across this node's restart could apply twice. Move the file away to start"
                + " without them");
    }
}
