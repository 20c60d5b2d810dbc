package dev.hotpot.log;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.heap.Pages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;

import static dev.hotpot.log.LogRecordDescriptor.RANGE_HEADER_LENGTH;

/**
 * Applies COMMIT bodies to a page image. Replay is idempotent: applying a record twice leaves the
 * same bytes, which is what makes a crash between a checkpoint's image write and its header write
 * harmless.
 *
 * <p>Threading: not thread-safe; one applier per recovery or checkpoint.
 */
public final class RedoApplier implements LogReader.Visitor {
    private final MemorySegment image;
    private final BitSet touchedPages = new BitSet();
    private long bytesApplied;

    public RedoApplier(MemorySegment image) {
        this.image = image;
    }

    @Override
    public void commit(long lsn, long txId, MemorySegment body) {
        long at = 0;
        while (at < body.byteSize()) {
            if (body.byteSize() - at < RANGE_HEADER_LENGTH) {
                throw corrupt(lsn, txId, "range header cut short at body offset " + at);
            }
            long address = body.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
            int length = body.get(ValueLayout.JAVA_INT_UNALIGNED, at + 8);
            if (length < 0 || at + RANGE_HEADER_LENGTH + length > body.byteSize()) {
                throw corrupt(lsn, txId, "range length " + length + " runs past the record body");
            }
            if (address < Pages.SIZE || address + length > image.byteSize()) {
                throw corrupt(lsn, txId, "range address " + address + "+" + length + " lies outside the heap");
            }
            MemorySegment.copy(body, at + RANGE_HEADER_LENGTH, image, address, length);
            touchedPages.set(Pages.pageOf(address), Pages.pageOf(address + length - 1) + 1);
            bytesApplied += length;
            at += RANGE_HEADER_LENGTH + length;
        }
    }

    /**
     * Forces the pages this applier wrote with one msync over their span: the kernel writes only
     * the dirty pages in it, and one call is far cheaper than one per run of scattered pages.
     */
    public void forceTouched() {
        int first = touchedPages.nextSetBit(0);
        if (first >= 0) {
            long from = Pages.addressOf(first);
            image.asSlice(from, Pages.addressOf(touchedPages.length()) - from).force();
        }
    }

    public long bytesApplied() {
        return bytesApplied;
    }

    private static HeapCorruptException corrupt(long lsn, long txId, String what) {
        return new HeapCorruptException("redo record passed its checksum but is malformed: lsn=" + lsn + " txId=" + txId
                + " problem=" + what + "; the log was written by an incompatible or faulty writer, restore from a backup");
    }
}
