package dev.hotpot.object;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapReader;

import java.nio.charset.StandardCharsets;

/**
 * Immutable string blobs: a {@code String} field or collection slot holds the address of a blob
 * it owns; storing a new string allocates a new blob and frees the old one in the same
 * transaction. Any Java string round-trips exactly, unpaired surrogates included.
 *
 * <pre>
 * blob: int length (chars); int coder (0: Latin-1, one byte per char; 1: UTF-16 big-endian code units,
 *       two bytes per char, unpaired surrogates kept as they are); bytes
 * </pre>
 *
 * The length and the coder are one little-endian word, the {@link #header}: a reader that compares
 * stored strings in place (the sorted map's) takes both with one load.
 *
 * <p>Threading: stateless; every method runs in (or joins) a transaction of the heap.
 */
public final class StringBlobs {
    private static final long LENGTH = 0;
    private static final long CODER = 4;
    private static final long BYTES = 8;
    public static final int LATIN1 = 0;
    public static final int UTF16 = 1;

    private StringBlobs() {
    }

    static long write(Heap heap, String value) {
        int coder = coderOf(value);
        byte[] bytes = encode(value, coder);
        return heap.transaction(() -> {
            long blob = heap.allocate(BYTES + Math.max(1, bytes.length));
            heap.putInt(blob + LENGTH, value.length());
            heap.putInt(blob + CODER, coder);
            heap.putBytes(blob + BYTES, bytes);
            return blob;
        });
    }

    static String read(Heap heap, long blob) {
        return heap.transaction(() -> read((HeapReader) heap, blob));
    }

    /**
     * The string of the blob at {@code blob}, read through {@code heap} (for a live heap, inside
     * the caller's transaction).
     *
     * @throws dev.hotpot.HeapCorruptException if its header is not a blob's
     */
    public static String read(HeapReader heap, long blob) {
        long header = header(heap, blob);
        if (storedBytes(header) < 0) {
            throw new dev.hotpot.HeapCorruptException("string blob at address=" + blob + " of heap=" + heap.name()
                    + " has length=" + length(header) + " coder=" + coder(header) + "; the heap is damaged: restore it"
                    + " from a copy");
        }
        return decode(heap.getBytes(bytes(blob), byteCount(length(header), coder(header))), coder(header));
    }

    /** Bytes a blob with this {@link #header} occupies, its header included, or -1 if it is not a blob's header. */
    public static long storedBytes(long header) {
        int length = length(header);
        int coder = coder(header);
        if (length < 0 || (coder != LATIN1 && coder != UTF16)) {
            return -1;
        }
        return BYTES + (coder == LATIN1 ? (long) length : 2L * length);
    }

    /** The coder a blob of {@code value} has: {@link #LATIN1} if every char is below 256, else {@link #UTF16}. */
    public static int coderOf(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 256) {
                return UTF16;
            }
        }
        return LATIN1;
    }

    /** The bytes a blob of {@code value} with {@code coder}, its {@link #coderOf}, holds. */
    public static byte[] encode(String value, int coder) {
        return coder == LATIN1 ? value.getBytes(StandardCharsets.ISO_8859_1) : utf16(value);
    }

    /** The string of a blob's {@code bytes} with {@code coder}. */
    public static String decode(byte[] bytes, int coder) {
        return coder == LATIN1 ? new String(bytes, StandardCharsets.ISO_8859_1) : fromUtf16(bytes);
    }

    /** The first word of the blob at {@code blob}: its length in the low half, its coder in the high half. */
    public static long header(HeapReader heap, long blob) {
        return heap.getLong(blob + LENGTH);
    }

    /** The length in chars a {@link #header} holds (not checked: negative in a damaged heap). */
    public static int length(long header) {
        return (int) header;
    }

    /** The coder a {@link #header} holds (not checked). */
    public static int coder(long header) {
        return (int) (header >>> 32);
    }

    /** How many bytes a blob of {@code length} chars with {@code coder} holds. */
    public static int byteCount(int length, int coder) {
        return coder == LATIN1 ? length : 2 * length;
    }

    /** The address of the bytes of the blob at {@code blob}. */
    public static long bytes(long blob) {
        return blob + BYTES;
    }

    /** Code units as they are: a charset encoder would replace unpaired surrogates. */
    private static byte[] utf16(String value) {
        byte[] bytes = new byte[2 * value.length()];
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            bytes[2 * i] = (byte) (c >>> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        return bytes;
    }

    private static String fromUtf16(byte[] bytes) {
        char[] chars = new char[bytes.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ((bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF);
        }
        return new String(chars);
    }
}
