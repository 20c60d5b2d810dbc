package dev.hotpot.offline;

import dev.hotpot.heap.BlockFormat;

import java.util.Arrays;

/**
 * The blocks a linear walk of a heap found, in address order, for lookups by address: which block
 * starts at a payload address, and which block contains an address.
 *
 * <p>Invariants: starts ascend and blocks do not overlap. Threading: filled by one thread, then
 * read-only.
 */
final class BlockTable {
    private long[] starts = new long[1024];
    private long[] headers = new long[1024];
    private int count;

    void add(long start, long header) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, 2 * count);
            headers = Arrays.copyOf(headers, 2 * count);
        }
        starts[count] = start;
        headers[count] = header;
        count++;
    }

    int count() {
        return count;
    }

    /** The address of block {@code index}'s header. */
    long start(int index) {
        return starts[index];
    }

    /** The address of block {@code index}'s payload. */
    long payload(int index) {
        return starts[index] + BlockFormat.HEADER;
    }

    long tag(int index) {
        return BlockFormat.tag(headers[index]);
    }

    /** The block's size, its header included. */
    long size(int index) {
        return BlockFormat.size(headers[index]);
    }

    /** The payload bytes of block {@code index}. */
    long usable(int index) {
        return size(index) - BlockFormat.HEADER;
    }

    /** The index of the block whose payload starts at {@code payload}, or -1. */
    int atPayload(long payload) {
        int index = Arrays.binarySearch(starts, 0, count, payload - BlockFormat.HEADER);
        return index >= 0 ? index : -1;
    }

    /** The index of the block that contains {@code address} (its header included), or -1. */
    int containing(long address) {
        int index = Arrays.binarySearch(starts, 0, count, address);
        if (index < 0) {
            index = -index - 2;
        }
        return index >= 0 && address < starts[index] + size(index) ? index : -1;
    }
}
