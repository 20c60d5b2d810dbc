package dev.hotpot.tx;

import dev.hotpot.heap.Pages;
import dev.hotpot.log.CommitBody;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static dev.hotpot.log.LogRecordDescriptor.RANGE_HEADER_LENGTH;

/**
 * The apply path: the only code that changes the working copy. It copies the ranges of a committed
 * record into the working copy while the record's pages are locked, then unlocks them at the
 * record's commit sequence, so every node that applies the same record gives its pages the same
 * version. Local commits use it with the pages their commit locked; records committed elsewhere
 * (a cluster primary's stream) use {@link #applyShipped}, which locks the pages itself.
 *
 * <p>Invariants: between {@link #copyLocked} and {@link #publish} every page of the record is
 * locked by the caller; ranges are copied in aligned 8-byte words where aligned, so a reader
 * outside a transaction never sees half of an aligned value; a page's commit position is raised
 * before its bytes change.
 *
 * <p>Threading: not thread-safe; one applier per applying thread. Any number of appliers and
 * transactions may run at once on one heap.
 */
public final class RecordApplier {
    private final TransactionManager manager;
    private final MemorySegment working;
    private final PageVersions versions;
    /** Pages of the record being applied, in first-touch order; the value is unused. */
    private final PageMap pages = new PageMap();
    private long[] oldWords = new long[16];
    private int[] sortedPages = new int[16];
    /** The page of the last range added: runs of ranges on one page skip the map. */
    private int lastPage = -1;

    RecordApplier(TransactionManager manager) {
        this.manager = manager;
        this.working = manager.working();
        this.versions = manager.versions();
    }

    /**
     * Applies a COMMIT body committed elsewhere with its commit {@code sequence}. Waits for local
     * commits that hold its pages (they are brief), never aborts them. Its pages become durable
     * with it: call it for records that are already durable where the caller needs them to be.
     *
     * @return false, with nothing applied, if {@code sequence} is not after every sequence this
     *         heap has applied or handed out: records must be applied in commit order
     * @throws dev.hotpot.HeapCorruptException if the body is malformed (nothing is applied)
     */
    public boolean applyShipped(MemorySegment body, long sequence) {
        collectPages(body);
        CommitGate gate = manager.gate();
        int token = gate.enter();
        try {
            return lockAndApply(body, sequence);
        } finally {
            gate.exit(token);
        }
    }

    private boolean lockAndApply(MemorySegment body, long sequence) {
        int count = pages.size();
        if (oldWords.length < count) {
            oldWords = new long[Math.max(count, oldWords.length * 2)];
            sortedPages = new int[oldWords.length];
        }
        for (int i = 0; i < count; i++) {
            sortedPages[i] = pages.pageAt(i);
        }
        // In page order, since appliers wait for each other's pages without giving up.
        Arrays.sort(sortedPages, 0, count);
        for (int i = 0; i < count; i++) {
            oldWords[i] = versions.lock(sortedPages[i]);
        }
        // Taken with the pages locked, as a local commit takes its sequence: a transaction that read
        // one of them before has a read version below the sequence and cannot accept the new bytes.
        if (!manager.advanceClockTo(sequence)) {
            for (int i = 0; i < count; i++) {
                versions.unlock(sortedPages[i], oldWords[i]);
            }
            pages.clear();
            return false;
        }
        copyLocked(body, 0);
        publish(sequence);
        return true;
    }

    /**
     * Copies {@code body} into the working copy; the caller holds every page it touches. With
     * {@code commitPosition > 0} (a {@code SYNC} commit) each page first records where the log must
     * be durable before its new bytes may be shown.
     */
    void copyLocked(MemorySegment body, long commitPosition) {
        long heapSize = working.byteSize();
        lastPage = -1;
        for (long at = 0, size = body.byteSize(); at < size; ) {
            int length = CommitBody.checkRange(body, at, heapSize, 0);
            long address = CommitBody.address(body, at);
            addPages(address, length, commitPosition);
            // A reader that sees a new byte must see the position that makes it durable.
            VarHandle.storeStoreFence();
            CommitBody.copyRange(body, at + RANGE_HEADER_LENGTH, working, address, length);
            at = CommitBody.next(at, length);
        }
    }

    /** Whether the record being applied touches {@code page}. */
    boolean touches(int page) {
        return pages.contains(page);
    }

    /** Unlocks every page of the record being applied at its commit {@code sequence}. */
    void publish(long sequence) {
        for (int i = 0; i < pages.size(); i++) {
            versions.unlock(pages.pageAt(i), sequence);
        }
        pages.clear();
    }

    /** Collects (and checks) the pages of {@code body} before any is locked. */
    private void collectPages(MemorySegment body) {
        pages.clear();
        lastPage = -1;
        long heapSize = working.byteSize();
        for (long at = 0, size = body.byteSize(); at < size; ) {
            int length = CommitBody.checkRange(body, at, heapSize, 0);
            addPages(CommitBody.address(body, at), length, 0);
            at = CommitBody.next(at, length);
        }
    }

    private void addPages(long address, int length, long commitPosition) {
        int first = Pages.pageOf(address);
        int last = Pages.pageOf(address + Math.max(length, 1) - 1);
        if (first == last && first == lastPage) {
            return;
        }
        for (int page = first; page <= last; page++) {
            pages.putIfAbsent(page, 0);
            if (commitPosition > 0) {
                versions.raiseCommitPosition(page, commitPosition);
            }
        }
        lastPage = last;
    }
}
