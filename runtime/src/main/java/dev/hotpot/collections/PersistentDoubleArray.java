package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

/**
 * A fixed-length array of {@code double}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds zeros. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentDoubleArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentDoubleArray.class);

    /** A new array of {@code length} zeros in the default heap. */
    public PersistentDoubleArray(int length) {
        super(length, Double.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentDoubleArray(Materializer token, long address) {
        super(token, address, Double.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentDoubleArray of(double... values) {
        return create(PersistentDoubleArray::new, values.length, bytes -> bytes.asDoubleBuffer().put(values));
    }

    public double get(int index) {
        return heap().getDouble(elementAddress(index));
    }

    public void set(int index, double value) {
        heap().putDouble(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public double[] toArray() {
        double[] values = new double[length()];
        readAll().asDoubleBuffer().get(values);
        return values;
    }
}
