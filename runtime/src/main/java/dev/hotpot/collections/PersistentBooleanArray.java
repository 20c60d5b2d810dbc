package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

import java.nio.ByteBuffer;

/**
 * A fixed-length array of {@code boolean}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds {@code false}s. Each element is one byte. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentBooleanArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentBooleanArray.class);

    /** A new array of {@code length} {@code false}s in the default heap. */
    public PersistentBooleanArray(int length) {
        super(length, Byte.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentBooleanArray(Materializer token, long address) {
        super(token, address, Byte.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentBooleanArray of(boolean... values) {
        return create(PersistentBooleanArray::new, values.length, bytes -> {
            for (boolean value : values) {
                bytes.put((byte) (value ? 1 : 0));
            }
        });
    }

    public boolean get(int index) {
        return heap().getBoolean(elementAddress(index));
    }

    public void set(int index, boolean value) {
        heap().putBoolean(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public boolean[] toArray() {
        ByteBuffer bytes = readAll();
        boolean[] values = new boolean[length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.get(i) != 0;
        }
        return values;
    }
}
