package dev.hotpot.offline;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.collections.CollectionBlocks;
import dev.hotpot.heap.BlockFormat;
import dev.hotpot.heap.Heap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The offline collection of a heap: marks the blocks that the roots and the heap's own lists
 * (schema, roots, the extension table) reach, with the walk of {@link HeapCheck}, and frees every
 * other allocated block through the heap's ordinary transactions, so each free is logged and
 * recovered like any commit.
 *
 * <p>Invariants: a heap with any structural problem is refused before anything changes (a damaged
 * reference could hide reachable objects). Frees run in batches of {@code batchBlocks} blocks, one
 * transaction each; an object with an extension block goes in one transaction with that block and
 * its extension table entry, so a crash at any point leaves a heap of whole batches, whose
 * remaining garbage is still unreachable and a next run frees.
 *
 * <p>Threading: the caller holds the heap exclusively (it opened it, offline) and runs no
 * transaction on it meanwhile.
 */
public final class Collector {
    /** Blocks freed per transaction: small enough for any log segment, large enough to commit rarely. */
    public static final int DEFAULT_BATCH_BLOCKS = 512;

    private final Heap heap;
    private final int batchBlocks;

    /** What a collection freed: blocks and their bytes (headers included), in how many transactions. */
    public record Result(long blocks, long bytes, int batches) {
    }

    /** Told after each committed batch: for progress reports, and tests that stop a collection midway. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (batch, blocksFreed) -> { };

        void committed(int batch, long blocksFreed);
    }

    public Collector(Heap heap, int batchBlocks) {
        if (batchBlocks < 1) {
            throw new IllegalArgumentException("batchBlocks=" + batchBlocks + " must be at least 1");
        }
        this.heap = heap;
        this.batchBlocks = batchBlocks;
    }

    /**
     * Frees every block the roots do not reach.
     *
     * @throws HeapCorruptException if the heap has a structural problem; nothing was freed then
     */
    public Result run(Progress progress) {
        HeapCheck check = HeapCheck.run(heap);
        if (!check.problems().isEmpty()) {
            throw new HeapCorruptException("heap=" + heap.name() + " has " + check.problems().size()
                    + " structural problems (the first: " + check.problems().getFirst() + "); gc frees nothing in a"
                    + " damaged heap: list them with hotpot verify " + heap.name());
        }
        List<Long> garbage = new ArrayList<>();
        Set<Long> extensionBlocks = new HashSet<>();
        check.forEachBlock((payload, size, tag, reached, className) -> {
            if (!reached && tag == BlockFormat.TAG_OBJECT && check.extensionOf(payload) != null) {
                extensionBlocks.add(check.extensionOf(payload).block());
            }
            if (!reached && tag != BlockFormat.TAG_FREE) {
                garbage.add(payload);
            }
        });
        garbage.removeAll(extensionBlocks);
        long blocks = 0;
        long bytes = 0;
        int batches = 0;
        for (int from = 0; from < garbage.size(); from += batchBlocks) {
            List<Long> batch = garbage.subList(from, Math.min(garbage.size(), from + batchBlocks));
            long[] freed = heap.transaction(() -> freeAll(batch, check));
            blocks += freed[0];
            bytes += freed[1];
            progress.committed(++batches, blocks);
        }
        return new Result(blocks, bytes, batches);
    }

    /**
     * Frees {@code batch}, and for each object in it its extension block and extension table
     * entry, in the caller's transaction; returns {blocks, bytes}.
     */
    private long[] freeAll(List<Long> batch, HeapCheck check) {
        long blocks = 0;
        long bytes = 0;
        for (long block : batch) {
            HeapCheck.Extension extension = check.extensionOf(block);
            if (extension != null) {
                // Removing the mapping frees its entry block (its slots own nothing): counted as freed too.
                bytes += heap.usableSize(extension.entry()) + BlockFormat.HEADER;
                CollectionBlocks.removeMapping(heap, check.extensionTable(), extension.entry());
                bytes += free(extension.block());
                blocks += 2;
            }
            bytes += free(block);
            blocks++;
        }
        return new long[] {blocks, bytes};
    }

    private long free(long block) {
        long size = heap.usableSize(block) + BlockFormat.HEADER;
        heap.free(block);
        return size;
    }
}
