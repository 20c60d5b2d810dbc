package dev.hotpot.collections;

import dev.hotpot.object.StringBlobs;

import static dev.hotpot.object.ValueSlots.BOOLEAN;
import static dev.hotpot.object.ValueSlots.BYTE;
import static dev.hotpot.object.ValueSlots.CHAR;
import static dev.hotpot.object.ValueSlots.DOUBLE;
import static dev.hotpot.object.ValueSlots.FLOAT;
import static dev.hotpot.object.ValueSlots.INT;
import static dev.hotpot.object.ValueSlots.LONG;
import static dev.hotpot.object.ValueSlots.SHORT;
import static dev.hotpot.object.ValueSlots.STRING;

/**
 * A key of a {@link PersistentSortedMap} made ready for comparisons with stored keys: its value
 * slot kind, its 16-byte order-preserving prefix (two words, the high one first), and for a string
 * the bytes its string blob holds, packed big-endian into words so that unsigned word order is
 * string order.
 *
 * <p>The prefix is a monotone map from keys to 128-bit unsigned numbers: {@code a < b} implies
 * {@code prefix(a) <= prefix(b)}, so two different prefixes decide a comparison without reading
 * the stored key. For every kind but {@code String} it is one-to-one (equal prefixes mean equal
 * keys) and its low word is 0. A string's prefix is its first 16 chars, one byte each, 0-padded;
 * the first char of 255 or more and every byte after it become 0xFF, which keeps the map monotone
 * for any chars. Sixteen chars tell apart keys such as {@code "user6284781860667377211"}, whose
 * first 8 chars many keys share.
 *
 * <p>Threading: immutable.
 */
final class SortKey {
    final Object key;
    /** The key's value-slot kind: one of {@code ValueSlots.STRING} to {@code ValueSlots.DOUBLE}. */
    final int kind;
    final long prefixHigh;
    final long prefixLow;
    /** Strings only: the blob coder this string is stored with, its blob bytes as big-endian words, their count. */
    final int coder;
    final long[] words;
    final int byteLength;

    private SortKey(Object key, int kind, long prefixHigh, long prefixLow, int coder, long[] words, int byteLength) {
        this.key = key;
        this.kind = kind;
        this.prefixHigh = prefixHigh;
        this.prefixLow = prefixLow;
        this.coder = coder;
        this.words = words;
        this.byteLength = byteLength;
    }

    /** The value-slot kind of {@code key} if a sorted map can hold it as a key, else 0. */
    static int kindOf(Object key) {
        return switch (key) {
            case String _ -> STRING;
            case Long _ -> LONG;
            case Integer _ -> INT;
            case Boolean _ -> BOOLEAN;
            case Byte _ -> BYTE;
            case Character _ -> CHAR;
            case Short _ -> SHORT;
            case Float _ -> FLOAT;
            case Double _ -> DOUBLE;
            case null, default -> 0;
        };
    }

    /** {@code key}, which must have a {@link #kindOf kind}, ready for comparisons. */
    static SortKey of(Object key) {
        int kind = kindOf(key);
        if (kind == STRING) {
            String s = (String) key;
            int coder = StringBlobs.coderOf(s);
            byte[] bytes = StringBlobs.encode(s, coder);
            long[] words = new long[(bytes.length + 7) >>> 3];
            for (int i = 0; i < bytes.length; i++) {
                words[i >>> 3] |= (bytes[i] & 0xFFL) << (56 - 8 * (i & 7));
            }
            return new SortKey(key, kind, stringPrefix(s, 0), stringPrefix(s, 8), coder, words, bytes.length);
        }
        if (kind == 0) {
            throw new IllegalArgumentException("not a sorted-map key: " + key);
        }
        return new SortKey(key, kind, prefixHigh(key), 0, 0, null, 0);
    }

    /** The high word of the order-preserving prefix of a key of any accepted kind. */
    static long prefixHigh(Object key) {
        return switch (key) {
            case String s -> stringPrefix(s, 0);
            case Long l -> l ^ Long.MIN_VALUE;
            case Integer i -> (long) i ^ Long.MIN_VALUE;
            case Short s -> (long) s ^ Long.MIN_VALUE;
            case Byte b -> (long) b ^ Long.MIN_VALUE;
            case Character c -> c;
            case Boolean b -> b ? 1 : 0;
            case Float f -> {
                // Float.compare's order: -0.0 before 0.0, one NaN after +Infinity.
                int bits = Float.floatToIntBits(f);
                yield (long) (bits ^ ((bits >> 31) & Integer.MAX_VALUE)) ^ Long.MIN_VALUE;
            }
            case Double d -> {
                long bits = Double.doubleToLongBits(d);
                yield (bits ^ ((bits >> 63) & Long.MAX_VALUE)) ^ Long.MIN_VALUE;
            }
            default -> throw new IllegalArgumentException("not a sorted-map key: " + key);
        };
    }

    /** The low word of the order-preserving prefix of a key of any accepted kind. */
    static long prefixLow(Object key) {
        return key instanceof String s ? stringPrefix(s, 8) : 0;
    }

    /** Prefix bytes {@code from} to {@code from + 7} of a string (a char of 255 or more saturates it from there on). */
    private static long stringPrefix(String s, int from) {
        long prefix = 0;
        boolean saturated = false;
        for (int i = 0; i < from && i < s.length() && !saturated; i++) {
            saturated = s.charAt(i) >= 0xFF;
        }
        for (int i = from; i < from + 8; i++) {
            int b;
            if (saturated) {
                b = 0xFF;
            } else if (i >= s.length()) {
                b = 0;
            } else if (s.charAt(i) >= 0xFF) {
                b = 0xFF;
                saturated = true;
            } else {
                b = s.charAt(i);
            }
            prefix = prefix << 8 | b;
        }
        return prefix;
    }

    /**
     * Natural order of two keys of one kind.
     *
     * @throws ClassCastException if they are of different classes
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a.getClass() != b.getClass()) {
            throw new ClassCastException("a key of class=" + a.getClass().getName() + " cannot be compared with a key of class="
                    + b.getClass().getName() + "; a PersistentSortedMap holds keys of one class");
        }
        return ((Comparable) a).compareTo(b);
    }

    /**
     * The shortest string {@code s} with {@code left < s <= right}, for a separator between two
     * leaves: a short separator makes inner nodes' string blobs small and their comparisons quick.
     */
    static String shortestSeparator(String left, String right) {
        int common = 0;
        int limit = Math.min(left.length(), right.length());
        while (common < limit && left.charAt(common) == right.charAt(common)) {
            common++;
        }
        return right.substring(0, Math.min(right.length(), common + 1));
    }

    static String kindName(long kind) {
        return switch ((int) kind) {
            case STRING -> "String";
            case BOOLEAN -> "Boolean";
            case BYTE -> "Byte";
            case CHAR -> "Character";
            case SHORT -> "Short";
            case INT -> "Integer";
            case LONG -> "Long";
            case FLOAT -> "Float";
            case DOUBLE -> "Double";
            default -> "kind " + kind;
        };
    }
}
