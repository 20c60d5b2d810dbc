package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.Pages;
import dev.hotpot.tx.TransactionManager;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** The CRC32C of every page of a node's working copy: equal on two nodes exactly when their copies are. */
final class PageHash {
    private PageHash() {
    }

    static String of(Heap heap) {
        TransactionManager manager = heap.transactionManager();
        CRC32C crc = new CRC32C();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(Pages.SIZE);
            for (int p = 1; p < manager.pageCount(); p++) {
                manager.readCommittedPage(p, page);
                crc.update(page.asByteBuffer());
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
