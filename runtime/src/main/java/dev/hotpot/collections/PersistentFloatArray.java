package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

/**
 * A fixed-length array of {@code float}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds zeros. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentFloatArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentFloatArray.class);

    /** A new array of {@code length} zeros in the default heap. */
    public PersistentFloatArray(int length) {
        super(length, Float.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentFloatArray(Materializer token, long address) {
        super(token, address, Float.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentFloatArray of(float... values) {
        return create(PersistentFloatArray::new, values.length, bytes -> bytes.asFloatBuffer().put(values));
    }

    public float get(int index) {
        return heap().getFloat(elementAddress(index));
    }

    public void set(int index, float value) {
        heap().putFloat(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public float[] toArray() {
        float[] values = new float[length()];
        readAll().asFloatBuffer().get(values);
        return values;
    }
}
