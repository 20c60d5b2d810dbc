package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

/**
 * A fixed-length array of {@code short}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds zeros. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentShortArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentShortArray.class);

    /** A new array of {@code length} zeros in the default heap. */
    public PersistentShortArray(int length) {
        super(length, Short.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentShortArray(Materializer token, long address) {
        super(token, address, Short.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentShortArray of(short... values) {
        return create(PersistentShortArray::new, values.length, bytes -> bytes.asShortBuffer().put(values));
    }

    public short get(int index) {
        return heap().getShort(elementAddress(index));
    }

    public void set(int index, short value) {
        heap().putShort(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public short[] toArray() {
        short[] values = new short[length()];
        readAll().asShortBuffer().get(values);
        return values;
    }
}
