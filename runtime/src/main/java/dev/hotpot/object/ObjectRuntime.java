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

    // ---- field access ------------------------------------------------------------------------
    //
    // A field's offset is a constant of its class; one with the ObjectSpace.ADDED bit belongs to a
    // field that objects of an earlier layout version keep outside their block. The JIT folds the
    // test on the constant away, so ordinary fields pay nothing for it.

    private static long readAddress(PersistentObject self, long offset) {
        return space.addedFieldAddress(self, offset, false);
    }

    private static long writeAddress(PersistentObject self, long offset) {
        return offset >= 0 ? self.hotpot$address + offset : space.addedFieldAddress(self, offset, true);
    }

    public static boolean getBoolean(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getBoolean(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? false : heap.getBoolean(at);
    }

    public static void putBoolean(PersistentObject self, long offset, boolean value) {
        heap.putBoolean(writeAddress(self, offset), value);
    }

    public static byte getByte(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getByte(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getByte(at);
    }

    public static void putByte(PersistentObject self, long offset, byte value) {
        heap.putByte(writeAddress(self, offset), value);
    }

    public static char getChar(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getChar(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getChar(at);
    }

    public static void putChar(PersistentObject self, long offset, char value) {
        heap.putChar(writeAddress(self, offset), value);
    }

    public static short getShort(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getShort(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getShort(at);
    }

    public static void putShort(PersistentObject self, long offset, short value) {
        heap.putShort(writeAddress(self, offset), value);
    }

    public static int getInt(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getInt(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getInt(at);
    }

    public static void putInt(PersistentObject self, long offset, int value) {
        heap.putInt(writeAddress(self, offset), value);
    }

    public static float getFloat(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getFloat(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getFloat(at);
    }

    public static void putFloat(PersistentObject self, long offset, float value) {
        heap.putFloat(writeAddress(self, offset), value);
    }

    public static long getLong(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getLong(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getLong(at);
    }

    public static void putLong(PersistentObject self, long offset, long value) {
        heap.putLong(writeAddress(self, offset), value);
    }

    public static double getDouble(PersistentObject self, long offset) {
        if (offset >= 0) {
            return heap.getDouble(self.hotpot$address + offset);
        }
        long at = readAddress(self, offset);
        return at == 0 ? 0 : heap.getDouble(at);
    }

    public static void putDouble(PersistentObject self, long offset, double value) {
        heap.putDouble(writeAddress(self, offset), value);
    }

    public static String getString(PersistentObject self, long offset) {
        long at = offset >= 0 ? self.hotpot$address + offset : readAddress(self, offset);
        return at == 0 ? null : space.readString(at);
    }

    public static void putString(PersistentObject self, long offset, String value) {
        space.writeString(writeAddress(self, offset), value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object getEnum(PersistentObject self, long offset, Class<?> type) {
        long at = offset >= 0 ? self.hotpot$address + offset : readAddress(self, offset);
        return at == 0 ? null : space.enumConstant((Class) type, heap.getInt(at));
    }

    public static void putEnum(PersistentObject self, long offset, Enum<?> value) {
        int id = space.enumId(value);
        heap.putInt(writeAddress(self, offset), id);
    }

    public static Object getReference(PersistentObject self, long offset, Class<?> declared) {
        long at = offset >= 0 ? self.hotpot$address + offset : readAddress(self, offset);
        return at == 0 ? null : space.readReference(at, declared);
    }

    public static void putReference(PersistentObject self, long offset, Object value) {
        heap.putLong(writeAddress(self, offset), space.addressOf(value));
    }
}
