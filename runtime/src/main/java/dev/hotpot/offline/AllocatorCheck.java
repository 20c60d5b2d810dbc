package dev.hotpot.offline;

import dev.hotpot.heap.BlockFormat;
import dev.hotpot.heap.BlockWalk;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.heap.Pages;
import dev.hotpot.heap.Superblock;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Checks the allocator's state of a heap: the top, the block headers below it (a linear walk,
 * which fills the {@link BlockTable}), the arena directory and its arenas, each arena's chunk, and
 * the free lists: every list element is a free block of its list's size, on one list only, and
 * every free block is on a list.
 *
 * <p>Threading: one thread; reads through the reader it is given.
 */
final class AllocatorCheck {
    private final HeapReader heap;
    private final List<Problem> problems;
    private final BlockTable blocks = new BlockTable();
    private long top;

    AllocatorCheck(HeapReader heap, List<Problem> problems) {
        this.heap = heap;
        this.problems = problems;
    }

    /** Checks the top and walks the block headers below it; returns the blocks found. */
    BlockTable walk() {
        top = BlockWalk.top(heap);
        if (top < Superblock.FIRST_DATA_ADDRESS || top > heap.size() || (top & Pages.OFFSET_MASK) != 0) {
            problems.add(new Problem(Superblock.TOP, "the allocator's top=" + hex(top) + " is not a page boundary"
                    + " between the first data page " + hex(Superblock.FIRST_DATA_ADDRESS) + " and the heap size "
                    + hex(heap.size())));
            top = Math.clamp(top & ~Pages.OFFSET_MASK, Superblock.FIRST_DATA_ADDRESS, heap.size());
        }
        long bad = BlockWalk.run(heap, top, blocks::add);
        if (bad >= 0) {
            long word = heap.getLong(bad);
            problems.add(new Problem(bad, "no valid block header: word " + hex(word) + " has tag "
                    + BlockFormat.tagName(BlockFormat.tag(word)) + " and size " + BlockFormat.size(word)
                    + "; the blocks after it up to the top " + hex(top) + " cannot be found"));
        }
        return blocks;
    }

    /**
     * After {@link #walk}: claims the arena directory and its arenas (the allocator owns them, so
     * they count as reached), then checks each arena's chunk and every free list.
     */
    void checkArenas(BlockClaims claims) {
        List<Long> arenas = new ArrayList<>();
        for (int arena = 0; arena < Superblock.ARENAS; arena++) {
            arenas.add(Superblock.arena(arena));
        }
        long directory = heap.getLong(Superblock.ARENA_DIRECTORY);
        if (directory != 0 && claimPage(claims, directory, 8L * Superblock.ARENA_DIRECTORY_SLOTS, "the arena directory",
                Superblock.ARENA_DIRECTORY)) {
            for (int slot = 0; slot < Superblock.ARENA_DIRECTORY_SLOTS; slot++) {
                long entry = directory + 8L * slot;
                long arena = heap.getLong(entry);
                String name = "arena " + (Superblock.ARENAS + slot);
                if (arena != 0 && claimPage(claims, arena, Superblock.ARENA_BYTES, name, entry)) {
                    arenas.add(arena);
                }
            }
        }
        for (long arena : arenas) {
            checkChunk(arena);
        }
        BitSet listed = new BitSet(blocks.count());
        for (long arena : arenas) {
            for (int sizeClass = 0; sizeClass < BlockFormat.SIZE_CLASSES; sizeClass++) {
                checkFreeList(Superblock.freeHead(arena, sizeClass), BlockFormat.classSize(sizeClass), listed);
            }
        }
        checkFreeList(Superblock.LARGE_FREE_HEAD, 0, listed);
        for (int i = 0; i < blocks.count(); i++) {
            if (blocks.tag(i) == BlockFormat.TAG_FREE && !listed.get(i)) {
                problems.add(new Problem(blocks.start(i), "free block of " + blocks.size(i)
                        + " bytes is on no free list (lost space)"));
            }
        }
    }

    /**
     * Claims the allocator's one-page block at payload {@code address} (the directory or one of its
     * arenas), referred to at {@code from}; returns whether it is one. Otherwise it is reported
     * there, and the free lists it would hold are not walked (their blocks show as lost space).
     */
    private boolean claimPage(BlockClaims claims, long address, long bytes, String what, long from) {
        int index = blocks.atPayload(address);
        if (index >= 0 && (blocks.start(index) & Pages.OFFSET_MASK) == 0 && blocks.size(index) == Pages.SIZE) {
            return claims.owned(address, bytes, what, from);
        }
        problems.add(new Problem(from, what + " at " + hex(address) + " is " + claims.describe(address)
                + ", not an allocated block of one page of its own; its free lists are not checked"));
        return false;
    }

    /** The allocator's top, once {@link #walk} has checked it. */
    long top() {
        return top;
    }

    private void checkChunk(long arena) {
        long cursor = heap.getLong(arena + Superblock.ARENA_CHUNK_CURSOR);
        long end = heap.getLong(arena + Superblock.ARENA_CHUNK_END);
        boolean none = cursor == 0 && end == 0;
        if (!none && (cursor < Superblock.FIRST_DATA_ADDRESS || cursor > end || end > top
                || end - cursor > BlockFormat.CHUNK || (cursor & 7) != 0)) {
            problems.add(new Problem(arena, "arena chunk cursor=" + hex(cursor) + " end=" + hex(end)
                    + " is not a chunk below the top " + hex(top)));
        }
    }

    /**
     * Walks the free list whose head word is at {@code head}; every element must be a free block of
     * {@code size} bytes (0: a large block, whole pages above a chunk) listed nowhere else. A bad
     * link is reported at the word that holds it, and ends the walk.
     */
    private void checkFreeList(long head, long size, BitSet listed) {
        long link = head;
        for (long block = heap.getLong(link); block != 0; link = block, block = heap.getLong(block)) {
            int index = blocks.atPayload(block);
            String problem = null;
            if (index < 0) {
                problem = "is not the start of a block";
            } else if (blocks.tag(index) != BlockFormat.TAG_FREE) {
                problem = "is a block tagged " + BlockFormat.tagName(blocks.tag(index)) + ", not a free block";
            } else if (listed.get(index)) {
                problem = "is already on a free list (a cycle, or two lists share it)";
            } else if (size != 0 ? blocks.size(index) != size
                    : blocks.size(index) <= BlockFormat.CHUNK || (blocks.size(index) & Pages.OFFSET_MASK) != 0) {
                problem = "is a free block of " + blocks.size(index) + " bytes on the list of "
                        + (size == 0 ? "whole-page blocks above " + BlockFormat.CHUNK : size + "-byte blocks");
            }
            if (problem != null) {
                problems.add(new Problem(link, "free list link to " + hex(block) + " " + problem));
                return;
            }
            listed.set(index);
        }
    }

    static String hex(long value) {
        return String.format(Locale.ROOT, "0x%x", value);
    }
}
