package dev.hotpot.log;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.heap.Pages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.hotpot.log.LogRecordDescriptor.*;

/**
 * Reads and applies the body of a COMMIT record: its ranges, checked against the heap's bounds,
 * and the copy of a range into a page image. Static and lambda-free, so that each walk inlines
 * into its caller with the caller's own view of the segment type. Every write of a committed record into any image
 * (the working copy, the durable image at recovery and checkpoint) copies through
 * {@link #copyRange}.
 *
 * <p>Threading: stateless.
 */
public final class CommitBody {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private CommitBody() {
    }

    /**
     * Checks the range that starts at body offset {@code at} and returns its data length. Walk a
     * body with {@code for (long at = 0; at < body.byteSize(); at = next(at, length))}; the range's
     * bytes start at {@code at + RANGE_HEADER_LENGTH}.
     *
     * @throws HeapCorruptException if the range is cut short or lies outside {@code [Pages.SIZE, heapSize)}:
     *                              the record passed its checksum, so its writer was faulty
     */
    public static int checkRange(MemorySegment body, long at, long heapSize, long lsn) {
        long size = body.byteSize();
        if (size - at < RANGE_HEADER_LENGTH) {
            throw corrupt(lsn, "range header cut short at body offset " + at);
        }
        long address = body.get(WORD, at + RANGE_ADDRESS_OFFSET);
        int length = body.get(ValueLayout.JAVA_INT_UNALIGNED, at + RANGE_LENGTH_OFFSET);
        if (length <= 0 || rangeLength(length) > size - at) {
            throw corrupt(lsn, "range length " + length + " is empty or runs past the record body");
        }
        if (address < Pages.SIZE || address > heapSize - length) {
            throw corrupt(lsn, "range address " + address + "+" + length + " lies outside the heap");
        }
        return length;
    }

    /** The heap address of the range at body offset {@code at}, once checked. */
    public static long address(MemorySegment body, long at) {
        return body.get(WORD, at + RANGE_ADDRESS_OFFSET);
    }

    /** The body offset of the range after the one at {@code at} with {@code length} data bytes. */
    public static long next(long at, int length) {
        return at + rangeLength(length);
    }

    /**
     * Copies one range into {@code image}. A range that starts on a word boundary is copied word by
     * word with single 8-byte stores, then its tail byte by byte, so a concurrent reader of an
     * aligned field sees either its old or its new value, never a mix; a bulk copy may move smaller
     * pieces. Bodies keep range bytes word-aligned, so only an unaligned address takes the bulk copy.
     */
    public static void copyRange(MemorySegment body, long dataOffset, MemorySegment image, long address, int length) {
        if (((address | dataOffset) & 7) != 0) {
            MemorySegment.copy(body, dataOffset, image, address, length);
            return;
        }
        int words = length & ~7;
        for (int i = 0; i < words; i += 8) {
            image.set(WORD, address + i, body.get(WORD, dataOffset + i));
        }
        for (int i = words; i < length; i++) {
            image.set(ValueLayout.JAVA_BYTE, address + i, body.get(ValueLayout.JAVA_BYTE, dataOffset + i));
        }
    }

    private static HeapCorruptException corrupt(long lsn, String what) {
        return new HeapCorruptException("redo record passed its checksum but is malformed: lsn=" + lsn + " problem="
                + what + "; the log was written by an incompatible or faulty writer, restore from a backup");
    }
}
