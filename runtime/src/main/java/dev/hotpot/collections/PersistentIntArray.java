package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

/**
 * A fixed-length array of {@code int}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds zeros. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentIntArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentIntArray.class);

    /** A new array of {@code length} zeros in the default heap. */
    public PersistentIntArray(int length) {
        super(length, Integer.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentIntArray(Materializer token, long address) {
        super(token, address, Integer.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentIntArray of(int... values) {
        return create(PersistentIntArray::new, values.length, bytes -> bytes.asIntBuffer().put(values));
    }

    public int get(int index) {
        return heap().getInt(elementAddress(index));
    }

    public void set(int index, int value) {
        heap().putInt(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public int[] toArray() {
        int[] values = new int[length()];
        readAll().asIntBuffer().get(values);
        return values;
    }
}
