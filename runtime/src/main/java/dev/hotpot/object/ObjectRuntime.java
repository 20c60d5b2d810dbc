package dev.hotpot.object;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;
import dev.hotpot.tx.HeapAccess;

import java.lang.invoke.MethodHandles;

/**
 * The entry points that code rewritten by the hotpot agent calls: binding a class at its static
 * initialization, and typed loads and stores of persistent fields at {@code object address +
 * field offset}. Loads and stores follow the heap's rules: inside a transaction they belong to
 * it; outside one a store commits on its own and a load returns one committed value.
 *
 * <p>Threading: safe from any thread. The heap is the process's default heap ({@link Hotpot}),
 * opened by the first persistent class that is initialized.
 */
public final class ObjectRuntime {
    /** Set once, before any persistent class can run code; a plain static so the JIT treats reads as cheap. */
    private static Heap heap;
    private static ObjectSpace space;

    private ObjectRuntime() {
    }

    /**
     * The default heap's loads and stores as a constant, so that the JIT folds the heap's state
     * into each field access. A field's address is its object's plus an offset inside the block,
     * so it needs no bounds check of the heap's. Initialized at the first field access, which follows the binding of
     * the accessed object's class and so finds the heap open.
     */
    private static final class DefaultHeap {
        static final HeapAccess ACCESS = heap().access();
    }

    private static ObjectSpace space() {
        ObjectSpace current = space;
        if (current == null) {
            current = Hotpot.objects();
            heap = current.heap();
            space = current;
        }
        return current;
    }

    /** Called by the static initializer of each rewritten class; returns the offsets of its own fields. */
    public static long[] bind(MethodHandles.Lookup lookup, String ownFields) {
        return space().bind(lookup, FieldSpec.decode(ownFields));
    }

    /** Called by the static initializer of a class the agent refused: fails its initialization. */
    public static void refuse(String message) {
        throw new dev.hotpot.UnsupportedFieldException(message);
    }

    static long allocate(PersistentObject handle) {
        return space().allocate(handle);
    }

    /** The handle of the object at {@code address}, which must be a {@code type} (0 gives null). */
    public static <T> T handle(long address, Class<T> type) {
        return type.cast(space().handle(address, type));
    }

    /** Frees {@code object} and what it owns; see {@code Hotpot.free}. */
    public static void free(PersistentObject object) {
        space().free(object);
    }

    /** The heap persistent objects live in. */
    public static Heap heap() {
        space();
        return heap;
    }

    static ObjectSpace objects() {
        return space();
    }

    // ---- field access ------------------------------------------------------------------------
    //
    // A field's offset is a constant of its class; one with the ObjectSpace.ADDED bit belongs to a
    // field that objects of an earlier layout version keep outside their block. The JIT folds the
    // tests on the constant offset and size away, so ordinary fields pay nothing for them.

    private static final long ADDED = ObjectSpace.ADDED;

    public static boolean getBoolean(PersistentObject self, long offset) {
        return readBits(self, offset, 1) != 0;
    }

    public static byte getByte(PersistentObject self, long offset) {
        return (byte) readBits(self, offset, 1);
    }

    public static char getChar(PersistentObject self, long offset) {
        return (char) readBits(self, offset, 2);
    }

    public static short getShort(PersistentObject self, long offset) {
        return (short) readBits(self, offset, 2);
    }

    public static int getInt(PersistentObject self, long offset) {
        return (int) readBits(self, offset, 4);
    }

    public static float getFloat(PersistentObject self, long offset) {
        return Float.intBitsToFloat((int) readBits(self, offset, 4));
    }

    public static long getLong(PersistentObject self, long offset) {
        return readBits(self, offset, 8);
    }

    public static double getDouble(PersistentObject self, long offset) {
        return Double.longBitsToDouble(readBits(self, offset, 8));
    }

    public static void putBoolean(PersistentObject self, long offset, boolean value) {
        writeBits(self, offset, 1, value ? 1 : 0);
    }

    public static void putByte(PersistentObject self, long offset, byte value) {
        writeBits(self, offset, 1, value);
    }

    public static void putChar(PersistentObject self, long offset, char value) {
        writeBits(self, offset, 2, value);
    }

    public static void putShort(PersistentObject self, long offset, short value) {
        writeBits(self, offset, 2, value);
    }

    public static void putInt(PersistentObject self, long offset, int value) {
        writeBits(self, offset, 4, value);
    }

    public static void putFloat(PersistentObject self, long offset, float value) {
        writeBits(self, offset, 4, Float.floatToRawIntBits(value));
    }

    public static void putLong(PersistentObject self, long offset, long value) {
        writeBits(self, offset, 8, value);
    }

    public static void putDouble(PersistentObject self, long offset, double value) {
        writeBits(self, offset, 8, Double.doubleToRawLongBits(value));
    }

    /** The field's {@code size} bytes as bits (sign-extended); an added field never stored reads as 0. */
    private static long readBits(PersistentObject self, long offset, int size) {
        long inline = inlineAddress(self, offset);
        if (inline >= 0) {
            return DefaultHeap.ACCESS.read(inline, size);
        }
        return heap.transaction(() -> {
            long at = space.fieldAddress(self, offset, false);
            return at == 0 ? 0L : DefaultHeap.ACCESS.read(at, size);
        });
    }

    private static void writeBits(PersistentObject self, long offset, int size, long bits) {
        long inline = inlineAddress(self, offset);
        if (inline >= 0) {
            DefaultHeap.ACCESS.write(inline, size, bits);
        } else {
            heap.transaction(() -> DefaultHeap.ACCESS.write(space.fieldAddress(self, offset, true), size, bits));
        }
    }

    /**
     * The address of the field at {@code offset} when it lies in the object's own block, or -1
     * for an added field beyond the block of an object of an earlier layout, which lives in its
     * extension block once stored ({@link ObjectSpace#fieldAddress}).
     */
    private static long inlineAddress(PersistentObject self, long offset) {
        long real = offset & ~ADDED;
        return offset >= 0 || real < self.hotpot$inlineSize ? self.hotpot$address + real : -1;
    }

    public static String getString(PersistentObject self, long offset) {
        long inline = inlineAddress(self, offset);
        if (inline >= 0) {
            return space.readString(inline);
        }
        return heap.transaction(() -> {
            long at = space.fieldAddress(self, offset, false);
            return at == 0 ? null : space.readString(at);
        });
    }

    public static void putString(PersistentObject self, long offset, String value) {
        long inline = inlineAddress(self, offset);
        if (inline >= 0) {
            space.writeString(inline, value);
        } else {
            heap.transaction(() -> space.writeString(space.fieldAddress(self, offset, true), value));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object getEnum(PersistentObject self, long offset, Class<?> type) {
        return space.enumConstant((Class) type, getInt(self, offset));
    }

    public static void putEnum(PersistentObject self, long offset, Enum<?> value) {
        int id = space.enumId(value);
        putInt(self, offset, id);
    }

    public static Object getReference(PersistentObject self, long offset, Class<?> declared) {
        long inline = inlineAddress(self, offset);
        if (inline >= 0) {
            return space.readReference(inline, declared);
        }
        return heap.transaction(() -> {
            long at = space.fieldAddress(self, offset, false);
            return at == 0 ? null : space.readReference(at, declared);
        });
    }

    public static void putReference(PersistentObject self, long offset, Object value) {
        putLong(self, offset, space.addressOf(value));
    }
}
