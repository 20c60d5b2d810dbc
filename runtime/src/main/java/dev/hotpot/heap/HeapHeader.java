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
 *   8  int   formatVersion    1
 *  12  int   pageSize         4096
 *  16  long  heapSize         bytes, a multiple of pageSize
 *  24  long  heapId           random, names the heap in logs and (later) in the cluster
 *  32  long  logSegmentBytes  fixed at creation: LSN / logSegmentBytes is a segment's index
 *  40  long  checkpointLsn    every log record below it is in the image
 *  48  long  sequence         +1 on each header write; the valid slot with the higher one wins
 *  56  long  createdMillis
 *  64  int   crc32c           over bytes [0, 64) of the slot
 * </pre>
 *
 * <p>Invariant: a header write goes to the slot that does not hold the current header, and is
 * forced before anything relies on it, so a torn header write leaves the other slot valid.
 */
public record HeapHeader(int formatVersion, long heapSize, long heapId, long logSegmentBytes,
                         long checkpointLsn, long sequence, long createdMillis) {

    public static final long MAGIC = 0x5048544F50544F48L;
    /** Format 3 logs records with commit sequences and durable marks (log format 3). */
    public static final int FORMAT_VERSION = 3;
    /**
     * The formats before durable marks (2) and before commit sequences (1). Read so that a heap an
     * earlier release closed cleanly opens; its next header write makes it format 3, which earlier
     * releases refuse instead of misreading its log.
     */
    static final int FORMAT_VERSION_2 = 2;
    static final int FORMAT_VERSION_1 = 1;
    static final int SLOT_BYTES = 2048;
    private static final int CRC_OFFSET = 64;

    HeapHeader withCheckpoint(long lsn) {
        return new HeapHeader(FORMAT_VERSION, heapSize, heapId, logSegmentBytes, lsn, sequence + 1, createdMillis);
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
        slot.set(ValueLayout.JAVA_INT_UNALIGNED, CRC_OFFSET, crc(slot));
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
        if (newest.formatVersion != FORMAT_VERSION && newest.formatVersion != FORMAT_VERSION_2
                && newest.formatVersion != FORMAT_VERSION_1) {
            throw new HeapVersionException("heap format version " + newest.formatVersion + " is not supported: file="
                    + file + " supported=" + FORMAT_VERSION + "; open it with the Hotpot release that wrote it");
        }
        return newest;
    }

    private static HeapHeader readSlot(MemorySegment slot) {
        if (slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != MAGIC
                || slot.get(ValueLayout.JAVA_INT_UNALIGNED, CRC_OFFSET) != crc(slot)) {
            return null;
        }
        return new HeapHeader(
                slot.get(ValueLayout.JAVA_INT_UNALIGNED, 8),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 16),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 24),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 32),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 40),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 48),
                slot.get(ValueLayout.JAVA_LONG_UNALIGNED, 56));
    }

    private static int crc(MemorySegment slot) {
        CRC32C crc = new CRC32C();
        crc.update(slot.asSlice(0, CRC_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }
}
