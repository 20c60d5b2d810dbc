package dev.hotpot.log;

/**
 * Binary layout of one redo log record. Records are 8-byte aligned and never span segments.
 *
 * <pre>
 *   0  int    magic          bytes "HPLG"
 *   4  short  formatVersion  1
 *   6  short  type           1 = COMMIT, 2 = PAD (fills the rest of a segment)
 *   8  int    bodyLength
 *  12  int    epoch          cluster epoch of the writer (0 on a single node)
 *  16  long   txId           writer node id in the top 16 bits, a per-node counter below
 *  24  long   lsn            the record's own log position; not covered by the CRC
 *  32  int    crc32c         over bytes [0, 24) and the body
 *  36  int    reserved       0
 *  40  body   COMMIT: ranges { long address; int length; byte[length] } back to back
 * </pre>
 *
 * <p>Validity: a record counts only if magic, version, type, {@code lsn == position} and CRC all
 * match. The LSN check rejects stale records left in recycled segments; the CRC rejects torn ones.
 */
public final class LogRecordDescriptor {
    public static final int MAGIC = 0x474C5048;
    public static final short FORMAT_VERSION = 1;
    public static final short TYPE_COMMIT = 1;
    public static final short TYPE_PAD = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 6;
    public static final int BODY_LENGTH_OFFSET = 8;
    public static final int EPOCH_OFFSET = 12;
    public static final int TX_ID_OFFSET = 16;
    public static final int LSN_OFFSET = 24;
    public static final int CRC_OFFSET = 32;
    public static final int HEADER_LENGTH = 40;
    /** Bytes of CRC-covered header that precede the LSN. */
    public static final int CRC_HEADER_LENGTH = LSN_OFFSET;

    /** Per range in a COMMIT body: address (8) and length (4) before the bytes. */
    public static final int RANGE_HEADER_LENGTH = 12;

    private LogRecordDescriptor() {
    }

    /** Total bytes a record with this body occupies in the log. */
    public static int recordLength(int bodyLength) {
        return align(HEADER_LENGTH + bodyLength);
    }

    public static int align(int length) {
        return (length + 7) & ~7;
    }
}
