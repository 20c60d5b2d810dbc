package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ValueSlots;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A fixed-length array of references in the persistent heap, usable as a field of a
 * {@code @Persistent} class or as a root. Elements are any storable values: null, {@code String}s,
 * boxed primitives, enums, {@code @Persistent} objects and this package's collections; a new array
 * holds nulls. Each element is a 16-byte value slot in one block; {@link Hotpot#free} frees the
 * block and the strings, but not the persistent objects the array refers to.
 *
 * <p>Invariants: the length never changes.
 *
 * <p>Threading: safe from any thread; {@code get} and {@code set} are each a transaction of their
 * own or join the caller's. Iterating inside a transaction is consistent; outside one each step
 * is its own transaction, so it is not a snapshot.
 */
public final class PersistentArray<E> extends ArrayBase implements Iterable<E> {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = layout(PersistentArray.class);

    /** A new array of {@code length} nulls in the default heap. */
    public PersistentArray(int length) {
        super(length, ValueSlots.SIZE);
    }

    /** The handle of an existing array; made by the runtime only. */
    PersistentArray(Materializer token, long address) {
        super(token, address, ValueSlots.SIZE);
    }

    /** @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())} */
    public E get(int index) {
        return Storable.cast(ValueSlots.read(elementAddress(index)));
    }

    /**
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalArgumentException  if the value is not storable; the array is then unchanged
     */
    public void set(int index, E value) {
        long slot = elementAddress(index);
        ValueSlots.write(slot, Storable.require(value, "element", this));
    }

    @Override
    public Iterator<E> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < length();
            }

            @Override
            public E next() {
                if (next >= length()) {
                    throw new NoSuchElementException("the iteration of the array at address=" + hotpot$address
                            + " is done: length=" + length());
                }
                return get(next++);
            }
        };
    }

    @Override
    public void freeOwnedBlocks() {
        for (int i = 0; i < length(); i++) {
            ValueSlots.freeOwned(elementAddress(i));
        }
        super.freeOwnedBlocks();
    }
}
