package dev.hotpot.heap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Named entry points into a heap: the only way back to its objects after a restart.
 *
 * <pre>
 * entry block: long next; long value; int nameLength; byte[nameLength] name (UTF-8)
 * </pre>
 *
 * <p>Entries form a list from {@link Superblock#ROOTS_HEAD} ({@link #LIST}); they are few, so lookups walk it.
 * Threading: safe from any thread; every method runs in (or joins) a transaction, and the static
 * readers read through the reader they are given.
 */
public final class Roots {
    private static final long NEXT = 0;
    private static final long VALUE = 8;
    private static final long NAME_LENGTH = 16;
    private static final long NAME = 20;
    static final int MAX_NAME_BYTES = 1024;

    /** The list of root entries, for offline checks. */
    public static final EntryList LIST = new EntryList("root entry", Superblock.ROOTS_HEAD, (int) NAME_LENGTH, (int) NAME,
            MAX_NAME_BYTES);

    private final Heap heap;

    Roots(Heap heap) {
        this.heap = heap;
    }

    /** The address stored under {@code name}, or 0 when there is none. */
    long get(String name) {
        byte[] key = encode(name);
        return heap.transaction(() -> {
            long entry = find(key);
            return entry == 0 ? 0L : heap.getLong(entry + VALUE);
        });
    }

    void set(String name, long address) {
        byte[] key = encode(name);
        heap.transaction(() -> {
            long entry = find(key);
            if (entry == 0) {
                entry = heap.allocate(NAME + key.length);
                heap.putInt(entry + NAME_LENGTH, key.length);
                heap.putBytes(entry + NAME, key);
                heap.putLong(entry + NEXT, heap.getLong(Superblock.ROOTS_HEAD));
                heap.putLong(Superblock.ROOTS_HEAD, entry);
            }
            heap.putLong(entry + VALUE, address);
        });
    }

    List<String> names() {
        return heap.transaction(() -> {
            List<String> names = new ArrayList<>();
            for (long entry = heap.getLong(Superblock.ROOTS_HEAD); entry != 0; entry = heap.getLong(entry + NEXT)) {
                names.add(name(heap, entry));
            }
            return names;
        });
    }

    /** The name of the root entry at {@code entry}. */
    public static String name(HeapReader heap, long entry) {
        return new String(heap.getBytes(entry + NAME, heap.getInt(entry + NAME_LENGTH)), StandardCharsets.UTF_8);
    }

    /** The address the root entry at {@code entry} holds. */
    public static long value(HeapReader heap, long entry) {
        return heap.getLong(entry + VALUE);
    }

    private long find(byte[] key) {
        for (long entry = heap.getLong(Superblock.ROOTS_HEAD); entry != 0; entry = heap.getLong(entry + NEXT)) {
            if (heap.getInt(entry + NAME_LENGTH) == key.length
                    && java.util.Arrays.equals(heap.getBytes(entry + NAME, key.length), key)) {
                return entry;
            }
        }
        return 0;
    }

    private static byte[] encode(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("root name must have 1 to " + MAX_NAME_BYTES + " UTF-8 bytes: name=" + name);
        }
        return bytes;
    }
}
