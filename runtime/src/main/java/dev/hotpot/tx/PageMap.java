package dev.hotpot.tx;

import java.util.Arrays;

/**
 * Open-addressing map from page number to a small int, reused across transactions without
 * allocating: {@link #clear} touches only the slots in use.
 *
 * <p>Threading: not thread-safe; owned by one transaction.
 */
final class PageMap {
    private static final int EMPTY = -1;

    private int[] keys = new int[64];
    private int[] values = new int[64];
    private int[] used = new int[32];
    private int size;

    PageMap() {
        Arrays.fill(keys, EMPTY);
    }

    int size() {
        return size;
    }

    /** The page stored at insertion position {@code i}, for iteration in insertion order. */
    int pageAt(int i) {
        return keys[used[i]];
    }

    int get(int page) {
        int mask = keys.length - 1;
        for (int slot = mix(page) & mask; ; slot = (slot + 1) & mask) {
            int key = keys[slot];
            if (key == page) {
                return values[slot];
            }
            if (key == EMPTY) {
                return EMPTY;
            }
        }
    }

    boolean contains(int page) {
        return get(page) != EMPTY;
    }

    /** Adds {@code page -> value} unless {@code page} is present; returns whether it was added. */
    boolean putIfAbsent(int page, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int slot = mix(page) & mask; ; slot = (slot + 1) & mask) {
            int key = keys[slot];
            if (key == page) {
                return false;
            }
            if (key == EMPTY) {
                keys[slot] = page;
                values[slot] = value;
                if (size == used.length) {
                    used = Arrays.copyOf(used, size * 2);
                }
                used[size++] = slot;
                return true;
            }
        }
    }

    /** The keys in first-insertion order: entries {@code [0, size())} of the returned array are valid. */
    int[] pages() {
        int[] pages = new int[size];
        for (int i = 0; i < size; i++) {
            pages[i] = keys[used[i]];
        }
        return pages;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            keys[used[i]] = EMPTY;
        }
        size = 0;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldUsed = Arrays.copyOf(used, size);
        int oldSize = size;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldSize; i++) {
            putIfAbsent(oldKeys[oldUsed[i]], oldValues[oldUsed[i]]);
        }
    }

    private static int mix(int page) {
        return page * 0x9E3779B9 ^ (page >>> 16);
    }
}
