package dev.hotpot.object;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapReader;

/**
 * Slots that hold any storable value, for collections whose element type is erased: a kind word
 * and a payload word. A slot owns the string blob it points to.
 *
 * <pre>
 * slot (16 bytes): long kind; long payload
 *   NULL 0     payload 0
 *   OBJECT 1   address of a persistent object (its header names its class)
 *   STRING 2   address of a string blob (owned)
 *   BOOLEAN 3, BYTE 4, CHAR 5, SHORT 6, INT 7, LONG 8    payload: the value
 *   FLOAT 9, DOUBLE 10                                   payload: the raw bits
 *   ENUM 11    kind bits 8..39: schema id of a version of the enum's name table; payload: the constant's id
 * </pre>
 *
 * <p>Threading: stateless; every method runs in (or joins) a transaction of the heap.
 */
public final class ValueSlots {
    public static final int SIZE = 16;
    /** The kinds, in the low byte of the kind word. */
    public static final int NULL = 0;
    public static final int OBJECT = 1;
    public static final int STRING = 2;
    public static final int BOOLEAN = 3;
    public static final int BYTE = 4;
    public static final int CHAR = 5;
    public static final int SHORT = 6;
    public static final int INT = 7;
    public static final int LONG = 8;
    public static final int FLOAT = 9;
    public static final int DOUBLE = 10;
    public static final int ENUM = 11;

    private ValueSlots() {
    }

    /** Whether a slot can hold {@code value}. */
    public static boolean isStorable(Object value) {
        return switch (value) {
            case null -> true;
            case PersistentObject _, String _, Enum<?> _, Boolean _, Character _ -> true;
            case Byte _, Short _, Integer _, Long _, Float _, Double _ -> true;
            default -> false;
        };
    }

    /**
     * Stores {@code value} in the slot at {@code slot}, freeing the string the slot owned before.
     * A value that cannot be stored is refused before anything changes.
     */
    public static void write(long slot, Object value) {
        requireStorable(value);
        Heap heap = ObjectRuntime.heap();
        heap.transaction(() -> {
            freeOwned(slot);
            // Empty before storing: if the store fails (a full heap) in a transaction the caller
            // goes on with, the slot holds null rather than the blob just freed.
            heap.putLong(slot, NULL);
            heap.putLong(slot + 8, 0);
            store(slot, value);
        });
    }

    /**
     * Stores {@code value} in a slot that owns nothing: a new one, an empty one, or the stale
     * copy of a slot that moved (whose string is owned elsewhere now). Both words are written, and
     * nothing is freed. A value that cannot be stored is refused before anything changes.
     */
    public static void init(long slot, Object value) {
        requireStorable(value);
        store(slot, value);
    }

    /**
     * Frees what the slot owns (a string blob) and writes nothing: for a slot whose bytes are
     * freed or overwritten next. The slot is left pointing to the freed blob.
     */
    public static void freeOwned(long slot) {
        freeOwned(ObjectRuntime.heap(), slot);
    }

    /** As {@link #freeOwned(long)}, for a slot in {@code heap}, which need not be the default heap. */
    public static void freeOwned(Heap heap, long slot) {
        heap.transaction(() -> {
            if (heap.getLong(slot) == STRING) {
                heap.free(heap.getLong(slot + 8));
            }
        });
    }

    private static void requireStorable(Object value) {
        if (!isStorable(value)) {
            throw new IllegalArgumentException("a " + value.getClass().getName()
                    + " cannot be stored in a persistent collection; store null, a String, a boxed primitive,"
                    + " an enum, a @Persistent object or a dev.hotpot.collections persistent collection");
        }
    }

    /** Writes both words of the slot for {@code value}, which is storable. */
    private static void store(long slot, Object value) {
        ObjectSpace space = ObjectRuntime.objects();
        Heap heap = space.heap();
        heap.transaction(() -> {
            long kind;
            long payload;
            switch (value) {
                case null -> {
                    kind = NULL;
                    payload = 0;
                }
                case PersistentObject object -> {
                    kind = OBJECT;
                    payload = object.hotpot$address;
                }
                case String string -> {
                    kind = STRING;
                    payload = StringBlobs.write(heap, string);
                }
                case Boolean b -> {
                    kind = BOOLEAN;
                    payload = b ? 1 : 0;
                }
                case Byte b -> {
                    kind = BYTE;
                    payload = b;
                }
                case Character c -> {
                    kind = CHAR;
                    payload = c;
                }
                case Short s -> {
                    kind = SHORT;
                    payload = s;
                }
                case Integer i -> {
                    kind = INT;
                    payload = i;
                }
                case Long l -> {
                    kind = LONG;
                    payload = l;
                }
                case Float f -> {
                    kind = FLOAT;
                    payload = Float.floatToRawIntBits(f);
                }
                case Double d -> {
                    kind = DOUBLE;
                    payload = Double.doubleToRawLongBits(d);
                }
                case Enum<?> e -> {
                    payload = space.enumId(e);
                    kind = ENUM | ((long) space.enumTableId(e.getDeclaringClass()) << 8);
                }
                default -> throw new IllegalStateException("isStorable admitted " + value.getClass());
            }
            heap.putLong(slot, kind);
            heap.putLong(slot + 8, payload);
        });
    }

    /** The value in the slot at {@code slot}; objects come back as their (one) handle. */
    public static Object read(long slot) {
        ObjectSpace space = ObjectRuntime.objects();
        Heap heap = space.heap();
        return heap.transaction(() -> {
            long kind = heap.getLong(slot);
            long payload = heap.getLong(slot + 8);
            return switch ((int) (kind & 0xFF)) {
                case OBJECT -> space.handle(payload, Object.class);
                case ENUM -> space.enumConstant((int) (kind >>> 8), (int) payload);
                default -> readPlain(heap, slot);
            };
        });
    }

    /**
     * The value in a slot that holds no object and no enum (the keys of a sorted map), read
     * through {@code heap} without the object space (for a live heap, inside the caller's transaction).
     *
     * @throws IllegalArgumentException if the slot holds an object or an enum
     * @throws dev.hotpot.HeapCorruptException if its kind is unknown
     */
    public static Object readPlain(HeapReader heap, long slot) {
        long kind = heap.getLong(slot);
        long payload = heap.getLong(slot + 8);
        return switch ((int) (kind & 0xFF)) {
            case NULL -> null;
            case STRING -> StringBlobs.read(heap, payload);
            case BOOLEAN -> payload != 0;
            case BYTE -> (byte) payload;
            case CHAR -> (char) payload;
            case SHORT -> (short) payload;
            case INT -> (int) payload;
            case LONG -> payload;
            case FLOAT -> Float.intBitsToFloat((int) payload);
            case DOUBLE -> Double.longBitsToDouble(payload);
            case OBJECT, ENUM -> throw new IllegalArgumentException("value slot at address=" + slot + " of heap="
                    + heap.name() + " holds an object or an enum (kind=" + kind + "), which needs the object space");
            default -> throw new dev.hotpot.HeapCorruptException("value slot at address=" + slot + " of heap="
                    + heap.name() + " has unknown kind=" + kind + "; the heap is damaged: restore it from a copy");
        };
    }

    /**
     * A hash of {@code value} that is the same in every JVM: {@code hashCode()} of strings, boxed
     * primitives and enum names (all specified by Java), and the identity hash stored in the
     * header of persistent objects (which compare by identity in collections; the hash survives
     * the object moving to a new layout).
     */
    public static int stableHash(Object value) {
        return switch (value) {
            case null -> 0;
            case PersistentObject object -> ObjectRuntime.heap().getInt(object.hotpot$address + ObjectHeader.IDENTITY);
            case Enum<?> e -> e.getDeclaringClass().getName().hashCode() * 31 + e.name().hashCode();
            case String s -> s.hashCode();
            case Number n -> n.hashCode();
            case Boolean b -> b.hashCode();
            case Character c -> c.hashCode();
            default -> throw new IllegalArgumentException("a " + value.getClass().getName()
                    + " cannot be a key of a persistent collection; use a String, a boxed primitive, an enum or a persistent object");
        };
    }

    /** Whether the slot holds a value equal to {@code value} (identity for persistent objects). */
    public static boolean holds(long slot, Object value) {
        Object stored = read(slot);
        if (value instanceof PersistentObject) {
            return stored == value;
        }
        return java.util.Objects.equals(stored, value);
    }
}
