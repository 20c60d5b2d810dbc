package dev.hotpot.log;

import dev.hotpot.heap.Pages;
import dev.hotpot.storage.DurableMapping;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * Applies COMMIT records to a page image that no transaction reads: the durable image, at recovery
 * and at checkpoint. Replay is idempotent: applying a record twice leaves the same bytes, which is
 * what makes a crash between a checkpoint's image write and its header write harmless.
 *
 * <p>Threading: not thread-safe; one applier per recovery or checkpoint.
 */
public final class RedoApplier implements LogReader.Visitor {
    private final DurableMapping durable;
    private final MemorySegment image;
    private final BitSet touchedPages = new BitSet();
    private long bytesApplied;
    private long lastSequence;

    public RedoApplier(DurableMapping durable) {
        this.durable = durable;
        this.image = durable.memory();
    }

    @Override
    public void commit(long lsn, long txId, long sequence, MemorySegment body) {
        for (long at = 0, size = body.byteSize(); at < size; ) {
            int length = CommitBody.checkRange(body, at, image.byteSize(), lsn);
            long address = CommitBody.address(body, at);
            CommitBody.copyRange(body, at + LogRecordDescriptor.RANGE_HEADER_LENGTH, image, address, length);
            if (length > 0) {
                touchedPages.set(Pages.pageOf(address), Pages.pageOf(address + length - 1) + 1);
            }
            bytesApplied += length;
            at = CommitBody.next(at, length);
        }
        lastSequence = sequence;
    }

    /**
     * Forces the pages this applier wrote with one msync over their span: the kernel writes only
     * the dirty pages in it, and one call is far cheaper than one per run of scattered pages.
     */
    public void forceTouched() {
        int first = touchedPages.nextSetBit(0);
        if (first >= 0) {
            long from = Pages.addressOf(first);
            durable.force(from, Pages.addressOf(touchedPages.length()) - from);
        }
    }

    public long bytesApplied() {
        return bytesApplied;
    }

    /** The sequence of the last record applied, 0 if none. */
    public long lastSequence() {
        return lastSequence;
    }
}
