package dev.hotpot.log;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.hotpot.log.LogRecordDescriptor.*;

/**
 * Builds one COMMIT record off the log: ranges are appended to the body, then {@link #seal} writes
 * the header and CRC so that the log's append lock only has to copy bytes and stamp the LSN.
 *
 * <p>Threading: not thread-safe; each transaction thread owns one and reuses it.
 */
public final class RecordBuffer {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private byte[] bytes = new byte[4096];
    private MemorySegment view = MemorySegment.ofArray(bytes);
    private int length = HEADER_LENGTH;
    private final CRC32C crc = new CRC32C();

    public void reset() {
        length = HEADER_LENGTH;
    }

    public int bodyLength() {
        return length - HEADER_LENGTH;
    }

    /** Appends {@code length} bytes of {@code source} at {@code offset}, to be replayed at heap {@code address}. */
    public void addRange(long address, MemorySegment source, long offset, int rangeLength) {
        ensure(RANGE_HEADER_LENGTH + rangeLength);
        view.set(LONG, length, address);
        view.set(INT, length + 8, rangeLength);
        MemorySegment.copy(source, offset, view, length + RANGE_HEADER_LENGTH, rangeLength);
        length += RANGE_HEADER_LENGTH + rangeLength;
    }

    /** Writes the header fields and CRC; the LSN is stamped by the log at append time. */
    public void seal(long txId, int epoch) {
        ensure(7);
        int body = bodyLength();
        view.set(INT, MAGIC_OFFSET, MAGIC);
        view.set(ValueLayout.JAVA_SHORT_UNALIGNED, VERSION_OFFSET, FORMAT_VERSION);
        view.set(ValueLayout.JAVA_SHORT_UNALIGNED, TYPE_OFFSET, TYPE_COMMIT);
        view.set(INT, BODY_LENGTH_OFFSET, body);
        view.set(INT, EPOCH_OFFSET, epoch);
        view.set(LONG, TX_ID_OFFSET, txId);
        view.set(LONG, LSN_OFFSET, 0L);
        view.set(INT, CRC_OFFSET + 4, 0);
        crc.reset();
        crc.update(bytes, 0, CRC_HEADER_LENGTH);
        crc.update(bytes, HEADER_LENGTH, body);
        view.set(INT, CRC_OFFSET, (int) crc.getValue());
        Arrays.fill(bytes, length, align(length), (byte) 0);
    }

    /** Record length in the log, including alignment padding. */
    public int recordLength() {
        return align(length);
    }

    /** Copies the sealed record to {@code target} at {@code offset} and stamps {@code lsn}. */
    void copyTo(MemorySegment target, long offset, long lsn) {
        MemorySegment.copy(view, 0, target, offset, recordLength());
        target.set(LONG, offset + LSN_OFFSET, lsn);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more + 8);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
            view = MemorySegment.ofArray(bytes);
        }
    }
}
