package dev.hotpot.log;

import dev.hotpot.heap.Pages;
import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.PersistenceMode;

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
    private final dev.hotpot.heap.CheckpointListener listener;
    private final BitSet touchedPages = new BitSet();
    private long bytesApplied;
    private long lastSequence;

    /** An applier that tells {@code listener} of each record it applies. */
    public RedoApplier(DurableMapping durable, dev.hotpot.heap.CheckpointListener listener) {
        this.durable = durable;
        this.image = durable.memory();
        this.listener = listener;
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
        listener.recordApplied(txId, sequence);
    }

    /**
     * Forces the pages this applier wrote. With msync, one call over their whole span: the kernel
     * writes back only the dirty pages in it, and one call is far cheaper than one per run of
     * scattered pages. On DAX a force writes back every cache line of its range, dirty or not, so
     * each run of touched pages is forced on its own.
     */
    public void forceTouched() {
        int first = touchedPages.nextSetBit(0);
        if (first < 0) {
            return;
        }
        if (durable.mode() != PersistenceMode.DAX) {
            long from = Pages.addressOf(first);
            durable.force(from, Pages.addressOf(touchedPages.length()) - from);
            return;
        }
        for (int start = first; start >= 0; start = touchedPages.nextSetBit(start)) {
            int end = touchedPages.nextClearBit(start);
            durable.force(Pages.addressOf(start), Pages.addressOf(end) - Pages.addressOf(start));
            start = end;
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
