package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

/**
 * A fixed-length array of {@code char}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds {@code '\0'} characters. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentCharArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentCharArray.class);

    /** A new array of {@code length} {@code '\0'} characters in the default heap. */
    public PersistentCharArray(int length) {
        super(length, Character.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentCharArray(Materializer token, long address) {
        super(token, address, Character.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentCharArray of(char... values) {
        return create(PersistentCharArray::new, values.length, bytes -> bytes.asCharBuffer().put(values));
    }

    public char get(int index) {
        return heap().getChar(elementAddress(index));
    }

    public void set(int index, char value) {
        heap().putChar(elementAddress(index), value);
    }

    /** A copy of every element, read in one transaction. */
    public char[] toArray() {
        char[] values = new char[length()];
        readAll().asCharBuffer().get(values);
        return values;
    }
}
