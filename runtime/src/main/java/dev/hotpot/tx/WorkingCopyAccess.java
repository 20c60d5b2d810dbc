package dev.hotpot.tx;

import dev.hotpot.heap.Pages;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The load and store path of one heap's working copy. Inside a transaction it defers to the
 * transaction. Outside one an aligned load is a single load with no retry: the working copy holds
 * only committed bytes and applies copy aligned words whole. That load waits while a record is
 * being applied to its page: every page of a record is locked before any is copied, so a series of
 * such loads (following a reference to an object the same commit made, say) never sees one page of
 * a record without the others. With {@code durableReads} ({@code SYNC}) it then waits until the
 * commit that wrote the page is durable.
 *
 * <p>A record, so that its components are final fields the JIT trusts when the record is a constant.
 *
 * <p>Invariants: the components are the manager's own; nothing here changes the working copy.
 *
 * <p>Threading: safe from any thread.
 */
record WorkingCopyAccess(TransactionManager manager, OpenTransactions open, MemorySegment working,
                         PageVersions versions, boolean durableReads) implements HeapAccess {

    @Override
    public long read(long address, int size) {
        Object bound = OpenTransactions.BOUND.orElse(OpenTransactions.UNBOUND);
        Transaction tx = bound == OpenTransactions.UNBOUND ? null : open.current((Transaction) bound);
        if (tx != null) {
            return Pages.withinOnePage(address, size) ? tx.readBits(working, versions, address, size) : readAcrossPages(address, size);
        }
        if ((address & (size - 1)) != 0) {
            return readUnaligned(address, size);
        }
        int page = Pages.pageOf(address);
        versions.awaitUnlocked(page);
        long bits = Bits.load(working, address, size);
        if (durableReads) {
            awaitDurable(page);
        }
        return bits;
    }

    @Override
    public void write(long address, int size, long bits) {
        Object bound = OpenTransactions.BOUND.orElse(OpenTransactions.UNBOUND);
        Transaction tx = bound == OpenTransactions.UNBOUND ? null : open.current((Transaction) bound);
        if (tx == null) {
            manager.run(() -> {
                write(address, size, bits);
                return null;
            });
        } else if (Pages.withinOnePage(address, size)) {
            tx.writeBits(address, size, bits);
        } else {
            for (int i = 0; i < size; i++) {
                tx.writeBits(address + i, 1, Bits.byteOf(bits, size, i));
            }
        }
    }

    /** An unaligned value outside a transaction: two equal page versions around the load prove no apply tore it. */
    private long readUnaligned(long address, int size) {
        if (!Pages.withinOnePage(address, size)) {
            return readAcrossPages(address, size);
        }
        int page = Pages.pageOf(address);
        while (true) {
            long word = versions.awaitUnlocked(page);
            long bits = Bits.load(working, address, size);
            VarHandle.loadLoadFence();
            if (versions.get(page) == word) {
                if (durableReads) {
                    awaitDurable(page);
                }
                return bits;
            }
        }
    }

    private long readAcrossPages(long address, int size) {
        return manager.run(() -> Bits.fromBytes(size, i -> read(address + i, 1)));
    }

    /** Waits until the last commit applied to {@code page} is durable; call after loading from it. */
    private void awaitDurable(int page) {
        // An apply raises the position before it copies: a load that saw new bytes sees it here.
        VarHandle.loadLoadFence();
        long position = versions.commitPosition(page);
        if (!manager.isDurable(position)) {
            manager.awaitDurable(position);
        }
    }
}
