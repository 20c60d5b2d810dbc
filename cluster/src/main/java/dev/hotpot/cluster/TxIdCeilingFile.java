package dev.hotpot.cluster;

import dev.hotpot.HotpotException;
import dev.hotpot.tx.TransactionManager;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file that keeps a node's transaction ids of one heap unique across its restarts: it holds a
 * ceiling that every id handed out so far lies below, written durably before an id at or above the
 * old one goes out, and the next life starts there. The log alone does not do it: a node that
 * sends its commits to a primary may spend ids without writing a byte to its own log (its commits
 * conflicted, or the connection ended before their records came back), and a primary answers a
 * request whose id its dedupe knows with the earlier record, so a reused id would lose a commit.
 * Format: magic {@code HPTX}, version 1, the ceiling (a long), then the CRC32C of the bytes before
 * it; big-endian.
 *
 * <p>Invariants: the file on disk is always whole ({@link SealedFile}); its ceiling only grows, as
 * the transaction manager asks for ceilings above the ids it handed out.
 *
 * <p>Threading: callers serialise calls on one file.
 */
final class TxIdCeilingFile implements TransactionManager.TxIdReservation {
    /** How many transaction ids one durable write of the ceiling lets a node hand out. */
    static final long BLOCK = 1L << 20;
    private static final int MAGIC = 0x48505458;
    private static final int VERSION = 1;
    private static final int LENGTH = 20;

    private final Path file;

    TxIdCeilingFile(Path file) {
        this.file = file;
    }

    /** The ceiling in the file; 0 if there is no file yet. */
    long read() {
        if (!Files.exists(file)) {
            return 0;
        }
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new HotpotException("cannot read the transaction id ceiling in " + file + " (" + e + ")", e);
        }
        if (bytes.capacity() != LENGTH || bytes.getInt() != MAGIC || bytes.getInt() != VERSION) {
            throw corrupt("not a transaction id ceiling of this version");
        }
        long ceiling = bytes.getLong();
        if (!SealedFile.isSealed(bytes.array())) {
            throw corrupt("its checksum does not match");
        }
        if (ceiling < 0) {
            throw corrupt("its ceiling " + ceiling + " is negative");
        }
        return ceiling;
    }

    /** Records a ceiling one block above {@code next}, durably, and returns it. */
    @Override
    public long reserveAbove(long next) {
        write(next + BLOCK);
        return next + BLOCK;
    }

    /** Records {@code ceiling} durably before it returns. */
    void write(long ceiling) {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH - SealedFile.CHECKSUM_BYTES).putInt(MAGIC).putInt(VERSION)
                .putLong(ceiling);
        try {
            SealedFile.replace(file, bytes.flip());
        } catch (IOException e) {
            throw new HotpotException("cannot write the transaction id ceiling to " + file + " (" + e + ")", e);
        }
    }

    private HotpotException corrupt(String why) {
        return new HotpotException("the transaction id ceiling in " + file + " cannot be read: " + why + "; without it"
                + " this node could reuse the id of a commit the cluster holds, and a new commit would be answered as"
                + " that one. Restore the file; if it is lost for good, delete it: the node then starts its ids above"
                + " its own among the transaction ids it keeps for the dedupe, and above its log's position");
    }
}
