package dev.hotpot.tx;

import dev.hotpot.heap.Pages;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A transaction's private writes: for each page it stored to, a shadow copy of the page (the
 * committed bytes it read, with its own stores on top), a bit per 8-byte word its stores touched,
 * and, while it commits, the version word the page had when the commit locked it.
 *
 * <p>Invariants: entry {@code i} is page {@link #page}(i); words of a shadow whose bit is clear
 * equal the committed page the transaction read.
 *
 * <p>Threading: not thread-safe; owned by one transaction.
 */
final class WriteSet {
    /** Shadow buffers a thread keeps between transactions (4 KiB each). */
    private static final int RETAINED = 256;
    static final int BITMAP_LONGS = Pages.SIZE / Long.BYTES / Long.SIZE;

    private final PageMap indexes = new PageMap();
    private MemorySegment[] shadows = new MemorySegment[16];
    /** Per entry, {@value #BITMAP_LONGS} longs: bit {@code w} set when word {@code w} of the page was stored to. */
    private long[] dirtyWords = new long[16 * BITMAP_LONGS];
    private long[] lockedWords = new long[16];
    /** The page of the last lookup that found one: runs of stores to one page skip the map. */
    private int lastPage = -1;
    private int lastIndex;

    int size() {
        return indexes.size();
    }

    /** The entry of {@code page}, or -1. */
    int indexOf(int page) {
        if (page == lastPage) {
            return lastIndex;
        }
        int index = indexes.get(page);
        if (index >= 0) {
            lastPage = page;
            lastIndex = index;
        }
        return index;
    }

    int page(int index) {
        return indexes.pageAt(index);
    }

    MemorySegment shadow(int index) {
        return shadows[index];
    }

    /** The buffer the next {@link #add} will use; fill it with the page before adding. */
    MemorySegment nextShadow() {
        int index = size();
        if (index == shadows.length) {
            int capacity = index * 2;
            shadows = Arrays.copyOf(shadows, capacity);
            dirtyWords = Arrays.copyOf(dirtyWords, capacity * BITMAP_LONGS);
            lockedWords = Arrays.copyOf(lockedWords, capacity);
        }
        if (shadows[index] == null) {
            shadows[index] = MemorySegment.ofArray(new long[Pages.SIZE / Long.BYTES]);
        }
        return shadows[index];
    }

    /** Adds {@code page}, whose committed bytes {@link #nextShadow} now holds; returns its entry. */
    int add(int page) {
        int index = size();
        indexes.putIfAbsent(page, index);
        Arrays.fill(dirtyWords, index * BITMAP_LONGS, (index + 1) * BITMAP_LONGS, 0);
        lastPage = page;
        lastIndex = index;
        return index;
    }

    /** Records a store of {@code length > 0} bytes at page offset {@code offset} of entry {@code index}. */
    void markDirty(int index, int offset, int length) {
        int first = offset >>> 3;
        int last = (offset + length - 1) >>> 3;
        int base = index * BITMAP_LONGS;
        if (first == last) {
            dirtyWords[base + (first >>> 6)] |= 1L << first;
            return;
        }
        for (int word = first; word <= last; word++) {
            dirtyWords[base + (word >>> 6)] |= 1L << word;
        }
    }

    /** Bits {@code 64 * i} to {@code 64 * i + 63} of entry {@code index}'s dirty-word map. */
    long dirtyBits(int index, int i) {
        return dirtyWords[index * BITMAP_LONGS + i];
    }

    void lockedWord(int index, long word) {
        lockedWords[index] = word;
    }

    long lockedWord(int index) {
        return lockedWords[index];
    }

    void clear() {
        indexes.clear();
        lastPage = -1;
        if (shadows.length > RETAINED) {
            // A huge transaction's shadow pages are not kept alive by the thread afterwards.
            shadows = new MemorySegment[16];
            dirtyWords = new long[16 * BITMAP_LONGS];
            lockedWords = new long[16];
        }
    }
}
