package dev.hotpot.collections;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;

import java.util.Objects;

/**
 * A fixed-length array of {@code byte}s in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root; a new array holds zeros. An index outside
 * {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each one heap load or
 * store, a transaction of its own or part of the caller's; {@code of} and {@code toArray} are
 * one transaction.
 */
public final class PersistentByteArray extends ArrayBase {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentByteArray.class);

    /** A new array of {@code length} zeros in the default heap. */
    public PersistentByteArray(int length) {
        super(length, Byte.BYTES);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentByteArray(Materializer token, long address) {
        super(token, address, Byte.BYTES);
    }

    /** A new array holding a copy of {@code values}, made in one transaction. */
    public static PersistentByteArray of(byte... values) {
        return create(PersistentByteArray::new, values.length, bytes -> bytes.put(values));
    }

    public byte get(int index) {
        return heap().getByte(elementAddress(index));
    }

    public void set(int index, byte value) {
        heap().putByte(elementAddress(index), value);
    }

    /** Copies {@code count} elements from index {@code from} to {@code target[offset...]}, in one transaction. */
    public void get(int from, byte[] target, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, target.length);
        long address = rangeAddress(from, count);
        if (count > 0) {
            heap().getBytes(address, target, offset, count);
        }
    }

    /** Copies {@code count} bytes from {@code source[offset...]} to the elements from index {@code from}, in one transaction. */
    public void set(int from, byte[] source, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, source.length);
        long address = rangeAddress(from, count);
        if (count > 0) {
            heap().putBytes(address, source, offset, count);
        }
    }

    /** A copy of every element, read in one transaction. */
    public byte[] toArray() {
        return readAll().array();
    }
}
