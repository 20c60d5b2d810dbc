package dev.hotpot.heap;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.HeapVersionException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The heap file's header, kept in page 0 of {@code heap.img}. Page 0 is never written by
 * transactions, only by open and by checkpoints.
 *
 * <pre>
 * page 0: slot A at byte 0, slot B at byte 2048; each slot:
 *   0  long  magic            bytes "HOTPOTHP"
 *   8  int   formatVersion    4
 *  12  int   pageSize         4096
 *  16  long  heapSize         bytes, a multiple of pageSize
 *  24  long  heapId           random, names the heap in logs and (later) in the cluster
 *  32  long  logSegmentBytes  fixed at creation: LSN / logSegmentBytes is a segment's index
 *  40  long  checkpointLsn    every log record below it is in the image
 *  48  long  sequence         +1 on each header write; the valid slot with the higher one wins
 *  56  long  createdMillis
 *  64  long  lastSequence     the commit sequence of the last record in the image at this
 *                             checkpoint: later commits continue after it, across restarts
 *  72  int   crc32c           over bytes [0, 72) of the slot
 * </pre>
 *
 * <p>Formats 1 and 2 end at byte 64 with the CRC there, and read as {@code lastSequence} 0.
 *
 * <p>Invariant: a header write goes to the slot that does not hold the current header, and is
 * forced before anything relies on it, so a torn header write leaves the other slot valid.
 */
public record HeapHeader(int formatVersion, long heapSize, long heapId, long logSegmentBytes,
                         long checkpointLsn, long sequence, long createdMillis, long lastSequence) {

    public static final long MAGIC = 0x5048544F50544F48L;
    /**
     * Format 4 may hold an arena directory (superblock offset 48), which an earlier release's
     * offline collector would free as garbage; it logs records as format 3 does.
     */
    public static final int FORMAT_VERSION = 4;
    /**
     * The formats before arena directories (3), before durable marks (2) and before commit
     * sequences (1). Read so that a heap an earlier release closed cleanly opens; its next header
     * write makes it format 4, which earlier releases refuse instead of misreading it.
     */
    static final int FORMAT_VERSION_3 = 3;
    static final int FORMAT_VERSION_2 = 2;
    static final int FORMAT_VERSION_1 = 1;
    static final int SLOT_BYTES = 2048;
    private static final int LAST_SEQUENCE_OFFSET = 64;
    private static final int CRC_OFFSET = 72;
    /** Where formats 1 and 2 keep their CRC. */
    private static final int EARLIER_CRC_OFFSET = 64;

    HeapHeader withCheckpoint(long lsn, long lastSequence) {
        return new HeapHeader(FORMAT_VERSION, heapSize, heapId, logSegmentBytes, lsn, sequence + 1, createdMillis,
                lastSequence);
    }

    /** Writes this header into the slot chosen by its sequence (the one not holding its predecessor). */
    void writeTo(MemorySegment page0) {
        MemorySegment slot = page0.asSlice((sequence & 1) * SLOT_BYTES, SLOT_BYTES);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, MAGIC);
        slot.set(ValueLayout.JAVA_INT_UNALIGNED, 8, formatVersion);
        slot.set(ValueLayout.JAVA_INT_UNALIGNED, 12, Pages.SIZE);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, heapSize);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 24, heapId);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 32, logSegmentBytes);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 40, checkpointLsn);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 48, sequence);
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, 56, createdMillis);
        int crcOffset = crcOffset(formatVersion);
        if (crcOffset == CRC_OFFSET) {
            slot.set(ValueLayout.JAVA_LONG_UNALIGNED, LAST_SEQUENCE_OFFSET, lastSequence);
        }
        slot.set(ValueLayout.JAVA_INT_UNALIGNED, crcOffset, crc(slot, crcOffset));
    }

    /**
     * Reads the newest valid slot of page 0.
     *
     * @throws HeapCorruptException if neither slot holds a valid header
     * @throws HeapVersionException if the header is valid but of a format this runtime does not read
     */
    static HeapHeader readFrom(MemorySegment page0, Path file) {
        HeapHeader a = readSlot(page0.asSlice(0, SLOT_BYTES));
        HeapHeader b = readSlot(page0.asSlice(SLOT_BYTES, SLOT_BYTES));
        HeapHeader newest = a == null ? b : b == null ? a : (a.sequence >= b.sequence ? a : b);
        if (newest == null) {
            boolean anyMagic = page0.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) == MAGIC
                    || page0.get(ValueLayout.JAVA_LONG_UNALIGNED, SLOT_BYTES) == MAGIC;
            throw new HeapCorruptException(anyMagic
                    ? "heap header damaged in both copies: file=" + file + "; restore the heap folder from a backup"
                    : "not a Hotpot heap (no header magic): file=" + file
                    + "; point the heap directory at a folder made by Hotpot, or choose a new heap name");
        }
        if (newest.formatVersion != FORMAT_VERSION && newest.formatVersion != FORMAT_VERSION_3
                && newest.formatVersion != FORMAT_VERSION_2 && newest.formatVersion != FORMAT_VERSION_1) {
            throw new HeapVersionException("heap format version " + newest.formatVersion + " is not supported: file="
                    + file + " supported=" + FORMAT_VERSION + "; open it with the Hotpot release that wrote it");
        }
        return newest;
    }

    private static HeapHeader readSlot(MemorySegment slot) {
        int formatVersion = slot.get(ValueLayout.JAVA_INT_UNALIGNED, 8);
        int crcOffset = crcOffset(formatVersion);
        if (slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != MAGIC
                || slot.get(ValueLayout.JAVA_INT_UNALIGNED, crcOffset) != crc(slot, crcOffset)) {
            return null;
        }
        return new HeapHeader(
                formatVersion,
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 16),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 24),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 32),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 40),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 48),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 56),
                crcOffset == CRC_OFFSET ? slot.get(ValueLayout.JAVA_LONG_UNALIGNED, LAST_SEQUENCE_OFFSET) : 0);
    }

    /** Formats 1 and 2 end before {@code lastSequence}; this format and any later one after it. */
    private static int crcOffset(int formatVersion) {
        return formatVersion == FORMAT_VERSION_1 || formatVersion == FORMAT_VERSION_2 ? EARLIER_CRC_OFFSET : CRC_OFFSET;
    }

    private static int crc(MemorySegment slot, int crcOffset) {
        CRC32C crc = new CRC32C();
        crc.update(slot.asSlice(0, crcOffset).asByteBuffer());
        return (int) crc.getValue();
    }
}
