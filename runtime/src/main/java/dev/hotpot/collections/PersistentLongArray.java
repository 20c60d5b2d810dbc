package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

/**
 * A fixed-length array of {@code long}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds zeros. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentLongArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentLongArray.class);

    /** A new array of {@code length} zeros in the default heap. */
    public PersistentLongArray(int length) {
        super(length, Long.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentLongArray(Materializer token, long address) {
        super(token, address, Long.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentLongArray of(long... values) {
        return create(PersistentLongArray::new, values.length, bytes -> bytes.asLongBuffer().put(values));
    }

    public long get(int index) {
        return heap().getLong(elementAddress(index));
    }

    public void set(int index, long value) {
        heap().putLong(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public long[] toArray() {
        long[] values = new long[length()];
        readAll().asLongBuffer().get(values);
        return values;
    }
}
