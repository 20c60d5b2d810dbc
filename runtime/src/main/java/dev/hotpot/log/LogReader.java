package dev.hotpot.log;

import dev.hotpot.HeapVersionException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;

import static dev.hotpot.log.LogRecordDescriptor.*;

/**
 * Walks the records of a log from a position, in order, and stops at the first position that does
 * not hold a valid record. Used by recovery (segments mapped from disk) and by checkpoints (the
 * live segments of the writer).
 *
 * <p>Threading: stateless; the segments it reads must not change under it in the range it reads.
 */
public final class LogReader {
    /** Receives each valid COMMIT record: its position and a view of its body. */
    @FunctionalInterface
    public interface Visitor {
        /** @param sequence the record's commit sequence: the version of the pages it writes */
        void commit(long lsn, long txId, long sequence, MemorySegment body);
    }

    /**
     * Where a scan stopped.
     *
     * @param records  COMMIT records visited
     * @param endLsn   position after the last valid record (where the next record would go)
     * @param torn     whether the record at {@code endLsn} was being written when the log stopped:
     *                 its LSN matches but the rest does not validate
     * @param tornInfo what was wrong with that record, for the recovery report
     */
    public record Result(long records, long endLsn, boolean torn, String tornInfo) {
    }

    private LogReader() {
    }

    /**
     * Visits records from {@code fromLsn} until {@code toLsn} (exclusive) or the first invalid record.
     *
     * @param segments maps a segment index to its memory, or null where no segment exists
     */
    public static Result scan(LongFunction<MemorySegment> segments, long segmentBytes, long fromLsn, long toLsn,
                              Visitor visitor) {
        CRC32C crc = new CRC32C();
        long position = fromLsn;
        long records = 0;
        while (position < toLsn) {
            long index = position / segmentBytes;
            long offset = position % segmentBytes;
            MemorySegment segment = segments.apply(index);
            if (segment == null) {
                return new Result(records, position, false, null);
            }
            if (segmentBytes - offset < HEADER_LENGTH) {
                position = (index + 1) * segmentBytes;
                continue;
            }
            if (offset + HEADER_LENGTH > segment.byteSize()) {
                return new Result(records, position, false, null);
            }
            String problem = validate(segment, offset, position, segmentBytes, crc);
            if (problem != null) {
                boolean torn = segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + LSN_OFFSET) == position;
                return new Result(records, position, torn, torn ? problem : null);
            }
            int bodyLength = segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + BODY_LENGTH_OFFSET);
            short type = segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET);
            if (type == TYPE_PAD) {
                position = (index + 1) * segmentBytes;
                continue;
            }
            visitor.commit(position, segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + TX_ID_OFFSET),
                    segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + SEQUENCE_OFFSET),
                    segment.asSlice(offset + HEADER_LENGTH, bodyLength));
            records++;
            position += recordLength(bodyLength);
        }
        return new Result(records, position, false, null);
    }

    /**
     * The first valid record at or after {@code from}, at any 8-byte aligned position of the
     * segments {@code segments} maps up to {@code lastIndex}, whose durable mark lies past
     * {@code mark}; or null if there is none. Every record after the point where a scan stopped
     * is looked at: records appended in one force batch carry the same mark, so the first valid
     * one may be marked before a damage that a later one is marked past. Records of earlier
     * formats are not looked for.
     */
    public static Found findRecordMarkedPast(LongFunction<MemorySegment> segments, long segmentBytes, long from,
                                             long lastIndex, long mark) {
        CRC32C crc = new CRC32C();
        for (long index = from / segmentBytes; index <= lastIndex; index++) {
            MemorySegment segment = segments.apply(index);
            if (segment == null) {
                continue;
            }
            long end = Math.min(segmentBytes, segment.byteSize()) - HEADER_LENGTH;
            for (long offset = index == from / segmentBytes ? align(from % segmentBytes) : 0; offset <= end; offset += 8) {
                long position = index * segmentBytes + offset;
                if (segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + MAGIC_OFFSET) == MAGIC
                        && segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + VERSION_OFFSET) == FORMAT_VERSION
                        && segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + DURABLE_MARK_OFFSET) > mark
                        && validate(segment, offset, position, segmentBytes, crc) == null) {
                    return new Found(position, segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + DURABLE_MARK_OFFSET));
                }
            }
        }
        return null;
    }

    /** A valid record found by {@link #findRecordMarkedPast}: its position and its durable mark. */
    public record Found(long lsn, long durableMark) {
    }

    /**
     * Returns why the bytes at {@code offset} are not a valid record for {@code position}, or null.
     *
     * @throws HeapVersionException for a record of format 1 at this position: a log written by an
     *                              earlier version, which this one must not mistake for its end
     */
    private static String validate(MemorySegment segment, long offset, long position, long segmentBytes, CRC32C crc) {
        if (segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + MAGIC_OFFSET) != MAGIC) {
            return "bad magic";
        }
        short version = segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + VERSION_OFFSET);
        long earlierLsnOffset = version == FORMAT_VERSION_1 ? VERSION_1_LSN_OFFSET : LSN_OFFSET;
        if ((version == FORMAT_VERSION_1 || version == FORMAT_VERSION_2)
                && segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + earlierLsnOffset) == position) {
            throw new HeapVersionException("redo log record at lsn=" + position + " has format version " + version
                    + ", written by an earlier hotpot; open and close the heap once with that version to fold its"
                    + " log into the image, then open it with this one");
        }
        if (version != FORMAT_VERSION) {
            return "unsupported record format version " + version;
        }
        short type = segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET);
        if (type != TYPE_COMMIT && type != TYPE_PAD) {
            return "unknown record type " + type;
        }
        if (headerCrc(segment, offset, crc) != segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + HEADER_CRC_OFFSET)) {
            return "header checksum mismatch";
        }
        if (segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + LSN_OFFSET) != position) {
            return "stale record (lsn mismatch)";
        }
        int bodyLength = segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + BODY_LENGTH_OFFSET);
        if (bodyLength < 0 || offset + recordLength(bodyLength) > Math.min(segmentBytes, segment.byteSize())) {
            return "body length " + bodyLength + " runs past the segment end";
        }
        if (type == TYPE_COMMIT) {
            crc.reset();
            crc.update(segment.asSlice(offset + HEADER_LENGTH, bodyLength).asByteBuffer());
            if ((int) crc.getValue() != segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + BODY_CRC_OFFSET)) {
                return "body checksum mismatch over " + bodyLength + " bytes";
            }
        }
        return null;
    }
}
