package dev.hotpot.object;

import dev.hotpot.heap.Heap;

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
 * <p>Threading: stateless; every method runs in (or joins) a transaction of the heap.
 */
final class StringBlobs {
    private static final long LENGTH = 0;
    private static final long CODER = 4;
    private static final long BYTES = 8;
    private static final int LATIN1 = 0;
    private static final int UTF16 = 1;

    private StringBlobs() {
    }

    static long write(Heap heap, String value) {
        boolean latin1 = value.chars().allMatch(c -> c < 256);
        byte[] bytes = latin1 ? value.getBytes(StandardCharsets.ISO_8859_1) : utf16(value);
        return heap.transaction(() -> {
            long blob = heap.allocate(BYTES + Math.max(1, bytes.length));
            heap.putInt(blob + LENGTH, value.length());
            heap.putInt(blob + CODER, latin1 ? LATIN1 : UTF16);
            heap.putBytes(blob + BYTES, bytes);
            return blob;
        });
    }

    static String read(Heap heap, long blob) {
        return heap.transaction(() -> {
            int length = heap.getInt(blob + LENGTH);
            int coder = heap.getInt(blob + CODER);
            if (length < 0 || (coder != LATIN1 && coder != UTF16)) {
                throw new dev.hotpot.HeapCorruptException("string blob at address=" + blob + " of heap=" + heap.name()
                        + " has length=" + length + " coder=" + coder + "; the heap is damaged: restore it from a copy");
            }
            byte[] bytes = heap.getBytes(blob + BYTES, coder == LATIN1 ? length : 2 * length);
            return coder == LATIN1 ? new String(bytes, StandardCharsets.ISO_8859_1) : fromUtf16(bytes);
        });
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
