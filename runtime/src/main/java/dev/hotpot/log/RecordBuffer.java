package dev.hotpot.log;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.hotpot.log.LogRecordDescriptor.*;

/**
 * Builds one COMMIT record off the log: ranges are appended to the body, then {@link #seal} writes
 * the fixed header fields and the body CRC, so that the log's append lock only stamps the
 * sequence and LSN, sums the 44 header bytes and copies.
 *
 * <p>Threading: not thread-safe; each transaction thread owns one and reuses it.
 */
public final class RecordBuffer {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private byte[] bytes = new byte[4096];
    private MemorySegment view = MemorySegment.ofArray(bytes);
    private int length = HEADER_LENGTH;
    private long sequence;
    private final CRC32C crc = new CRC32C();

    public void reset() {
        length = HEADER_LENGTH;
        sequence = 0;
    }

    public int bodyLength() {
        return length - HEADER_LENGTH;
    }

    /**
     * Appends {@code rangeLength} bytes of {@code source} at {@code offset}, to be replayed at heap
     * {@code address}; the bytes are padded with zeros to the next multiple of 8.
     */
    public void addRange(long address, MemorySegment source, long offset, int rangeLength) {
        int total = (int) rangeLength(rangeLength);
        ensure(total);
        view.set(LONG, length + RANGE_ADDRESS_OFFSET, address);
        view.set(INT, length + RANGE_LENGTH_OFFSET, rangeLength);
        view.set(INT, length + RANGE_LENGTH_OFFSET + 4, 0);
        if (rangeLength == Long.BYTES) {
            view.set(LONG, length + RANGE_HEADER_LENGTH, source.get(LONG, offset));
        } else {
            MemorySegment.copy(source, offset, view, length + RANGE_HEADER_LENGTH, rangeLength);
            Arrays.fill(bytes, length + RANGE_HEADER_LENGTH + rangeLength, length + total, (byte) 0);
        }
        length += total;
    }

    /** Makes {@code body} (ranges in the layout of {@link LogRecordDescriptor}) the whole body: a record shipped from another log. */
    public void copyBody(MemorySegment body) {
        reset();
        int bodyLength = Math.toIntExact(body.byteSize());
        ensure(bodyLength);
        MemorySegment.copy(body, 0, view, HEADER_LENGTH, bodyLength);
        length += bodyLength;
    }

    /** Writes the header fields known before append and the body CRC. */
    public void seal(long txId, int epoch) {
        crc.reset();
        crc.update(bytes, HEADER_LENGTH, bodyLength());
        putFixedHeader(view, 0, TYPE_COMMIT, bodyLength(), epoch, txId, (int) crc.getValue());
    }

    /** Record length in the log (the body's ranges keep it a multiple of 8). */
    public int recordLength() {
        return length;
    }

    /** The sequence stamped by the last append, 0 before it. */
    public long sequence() {
        return sequence;
    }

    /** The body as sealed: ranges in the layout of {@link LogRecordDescriptor}. */
    public MemorySegment body() {
        return view.asSlice(HEADER_LENGTH, bodyLength());
    }

    /**
     * Stamps {@code sequence}, {@code lsn} and the durable mark, sums the header and copies the
     * record to {@code target} at {@code offset}. Called by the log under its append lock.
     */
    void stampAndCopyTo(MemorySegment target, long offset, long lsn, long sequence, long durableMark) {
        this.sequence = sequence;
        stampHeader(view, 0, sequence, lsn, durableMark, crc);
        MemorySegment.copy(view, 0, target, offset, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more + 8);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
            view = MemorySegment.ofArray(bytes);
        }
    }
}
