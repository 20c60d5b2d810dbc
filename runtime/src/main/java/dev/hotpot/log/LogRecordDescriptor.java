package dev.hotpot.log;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * Binary layout of one redo log record (format version 3). Records are 8-byte aligned and never
 * span segments.
 *
 * <pre>
 *   0  int    magic          bytes "HPLG"
 *   4  short  formatVersion  3
 *   6  short  type           1 = COMMIT, 2 = PAD (fills the rest of a segment)
 *   8  int    bodyLength
 *  12  int    epoch          cluster epoch of the writer (0 on a single node)
 *  16  long   txId           writer node id in the top 16 bits, a per-node counter below
 *  24  long   sequence       COMMIT: the commit sequence, the version of every page the record
 *                            writes; sequences grow with the log position. PAD: 0
 *  32  long   lsn            the record's own log position
 *  40  long   durableMark    the log position that was durable when the record was appended:
 *                            every byte below it had been forced
 *  48  int    bodyCrc        CRC32C of the body (COMMIT), 0 (PAD)
 *  52  int    headerCrc      CRC32C of bytes [0, 52)
 *  56  body   COMMIT: ranges { long address; int length; int reserved 0; byte[length]; zeros to 8 }
 * </pre>
 *
 * <p>The durable mark tells damage from a torn tail. After a power cut, records that were never
 * forced may survive in any subset, so a valid record can follow an invalid one. But a valid
 * record whose mark lies past an invalid one proves that the invalid bytes had been forced: an
 * acknowledged record was damaged afterwards, and recovery must not silently end the log there.
 *
 * <p>Range bytes start 8-byte aligned in the body, so an applier copies aligned words whole: a
 * reader of an aligned field never sees half of an applied value.
 *
 * <p>Validity: a record counts only if magic, version, type, header CRC, {@code lsn == position}
 * and body CRC all match. The LSN check rejects stale records left in recycled segments; the CRCs
 * reject torn ones. The sequence, LSN and durable mark are stamped at append time, under the
 * log's lock, so the body CRC is computed before it and only the 52 header bytes are summed
 * inside it.
 */
public final class LogRecordDescriptor {
    public static final int MAGIC = 0x474C5048;
    public static final short FORMAT_VERSION = 3;
    /** The formats before durable marks (2) and before commit sequences (1): recognised so that recovery can refuse them. */
    public static final short FORMAT_VERSION_2 = 2;
    public static final short FORMAT_VERSION_1 = 1;
    public static final short TYPE_COMMIT = 1;
    public static final short TYPE_PAD = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 6;
    public static final int BODY_LENGTH_OFFSET = 8;
    public static final int EPOCH_OFFSET = 12;
    public static final int TX_ID_OFFSET = 16;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int LSN_OFFSET = 32;
    public static final int DURABLE_MARK_OFFSET = 40;
    public static final int BODY_CRC_OFFSET = 48;
    public static final int HEADER_CRC_OFFSET = 52;
    public static final int HEADER_LENGTH = 56;
    /** Where a format-1 record keeps its LSN (a format-2 record keeps it where format 3 does). */
    public static final int VERSION_1_LSN_OFFSET = 24;

    /** Per range in a COMMIT body: address (8), length (4) and 4 reserved bytes before the bytes. */
    public static final int RANGE_HEADER_LENGTH = 16;
    public static final int RANGE_ADDRESS_OFFSET = 0;
    public static final int RANGE_LENGTH_OFFSET = 8;

    private LogRecordDescriptor() {
    }

    /** Total bytes a record with this body occupies in the log; exact for any non-negative body length. */
    public static long recordLength(int bodyLength) {
        return align((long) HEADER_LENGTH + bodyLength);
    }

    /** Bytes one range of {@code length} data bytes occupies in a body. */
    public static long rangeLength(int length) {
        return RANGE_HEADER_LENGTH + align((long) length);
    }

    public static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** Writes the header fields that are fixed before append, of the record at {@code offset}. */
    static void putFixedHeader(MemorySegment log, long offset, short type, int bodyLength, int epoch, long txId,
                               int bodyCrc) {
        log.set(ValueLayout.JAVA_INT_UNALIGNED, offset + MAGIC_OFFSET, MAGIC);
        log.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + VERSION_OFFSET, FORMAT_VERSION);
        log.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET, type);
        log.set(ValueLayout.JAVA_INT_UNALIGNED, offset + BODY_LENGTH_OFFSET, bodyLength);
        log.set(ValueLayout.JAVA_INT_UNALIGNED, offset + EPOCH_OFFSET, epoch);
        log.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + TX_ID_OFFSET, txId);
        log.set(ValueLayout.JAVA_INT_UNALIGNED, offset + BODY_CRC_OFFSET, bodyCrc);
    }

    /** Stamps the sequence, LSN and durable mark of the record at {@code offset}, then its header CRC, which covers them. */
    static void stampHeader(MemorySegment log, long offset, long sequence, long lsn, long durableMark, CRC32C crc) {
        log.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + SEQUENCE_OFFSET, sequence);
        log.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + LSN_OFFSET, lsn);
        log.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + DURABLE_MARK_OFFSET, durableMark);
        log.set(ValueLayout.JAVA_INT_UNALIGNED, offset + HEADER_CRC_OFFSET, headerCrc(log, offset, crc));
    }

    /** The CRC32C of bytes {@code [0, HEADER_CRC_OFFSET)} of the record at {@code offset}. */
    static int headerCrc(MemorySegment log, long offset, CRC32C crc) {
        crc.reset();
        crc.update(log.asSlice(offset, HEADER_CRC_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }
}
