package dev.hotpot.object;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;

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

    // ---- primitives -------------------------------------------------------------------------

    public static boolean getBoolean(long address) {
        return heap.getBoolean(address);
    }

    public static byte getByte(long address) {
        return heap.getByte(address);
    }

    public static char getChar(long address) {
        return heap.getChar(address);
    }

    public static short getShort(long address) {
        return heap.getShort(address);
    }

    public static int getInt(long address) {
        return heap.getInt(address);
    }

    public static float getFloat(long address) {
        return heap.getFloat(address);
    }

    public static long getLong(long address) {
        return heap.getLong(address);
    }

    public static double getDouble(long address) {
        return heap.getDouble(address);
    }

    public static void putBoolean(long address, boolean value) {
        heap.putBoolean(address, value);
    }

    public static void putByte(long address, byte value) {
        heap.putByte(address, value);
    }

    public static void putChar(long address, char value) {
        heap.putChar(address, value);
    }

    public static void putShort(long address, short value) {
        heap.putShort(address, value);
    }

    public static void putInt(long address, int value) {
        heap.putInt(address, value);
    }

    public static void putFloat(long address, float value) {
        heap.putFloat(address, value);
    }

    public static void putLong(long address, long value) {
        heap.putLong(address, value);
    }

    public static void putDouble(long address, double value) {
        heap.putDouble(address, value);
    }

    // ---- strings, enums, references -----------------------------------------------------------

    public static String getString(long address) {
        return space.readString(address);
    }

    public static void putString(long address, String value) {
        space.writeString(address, value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object getEnum(long address, Class<?> type) {
        return space.enumConstant((Class) type, heap.getInt(address));
    }

    public static void putEnum(long address, Enum<?> value) {
        int id = space.enumId(value);
        heap.putInt(address, id);
    }

    public static Object getReference(long address, Class<?> declared) {
        return space.handle(heap.getLong(address), declared);
    }

    public static void putReference(long address, Object value) {
        heap.putLong(address, space.addressOf(value));
    }
}
