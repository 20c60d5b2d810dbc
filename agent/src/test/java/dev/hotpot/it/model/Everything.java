package dev.hotpot.it.model;

import dev.hotpot.Persistent;

/** One persistent field of every supported kind, plus a transient one that stays per handle. */
@Persistent
public class Everything {
    public boolean flag;
    public byte b;
    public char c;
    public short s;
    public int i;
    public float f;
    public long l;
    public double d;
    public String text;
    public Color color;
    public Everything next;
    public transient int cache = 42;
    public static int instances;

    public Everything() {
        instances++;
    }

    /** Sets every field to values derived from {@code seed}, extremes included. */
    public void fill(int seed) {
        flag = seed % 2 == 0;
        b = (byte) (Byte.MIN_VALUE + seed);
        c = (char) (0xD800 + seed);
        s = (short) (Short.MAX_VALUE - seed);
        i = Integer.MIN_VALUE + seed;
        f = seed == 0 ? Float.NaN : -seed / 3f;
        l = Long.MAX_VALUE - seed;
        d = seed == 0 ? Double.NEGATIVE_INFINITY : Math.PI * seed;
        text = seed == 0 ? null : "héllo \uD83D\uDE00 \uD800 " + seed;
        color = Color.values()[seed % 3];
    }

    /** The fields that do not hold what {@link #fill} stored for {@code seed}; empty when all do. */
    public String mismatch(int seed) {
        StringBuilder out = new StringBuilder();
        check(out, "flag", flag, seed % 2 == 0);
        check(out, "b", b, (byte) (Byte.MIN_VALUE + seed));
        check(out, "c", c, (char) (0xD800 + seed));
        check(out, "s", s, (short) (Short.MAX_VALUE - seed));
        check(out, "i", i, Integer.MIN_VALUE + seed);
        check(out, "f", Float.floatToRawIntBits(f), Float.floatToRawIntBits(seed == 0 ? Float.NaN : -seed / 3f));
        check(out, "l", l, Long.MAX_VALUE - seed);
        check(out, "d", Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(seed == 0 ? Double.NEGATIVE_INFINITY : Math.PI * seed));
        check(out, "text", text, seed == 0 ? null : "héllo \uD83D\uDE00 \uD800 " + seed);
        check(out, "color", color, Color.values()[seed % 3]);
        return out.toString();
    }

    private static void check(StringBuilder out, String field, Object actual, Object expected) {
        if (!java.util.Objects.equals(actual, expected)) {
            out.append(field).append('=').append(actual).append(" (expected ").append(expected).append(") ");
        }
    }
}
