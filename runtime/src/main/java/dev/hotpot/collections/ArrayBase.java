package dev.hotpot.collections;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.OwnsBlocks;
import dev.hotpot.object.PersistentObject;
import dev.hotpot.object.ValueSlots;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * What the fixed-length persistent arrays share: the length, the block of elements, bounds checks
 * and freeing. Subclasses add typed access to the elements.
 *
 * <pre>
 * array object (24 bytes)            elements block (length x element size; none when the length is 0)
 *  0 header                           [0] [1] ... [length - 1], primitives in native byte order,
 *  8 long length                      references as 16-byte value slots (see ValueSlots)
 * 16 long elements  ------------->
 * </pre>
 *
 * <p>Invariants: the length and the elements address never change once the creating transaction
 * has committed, so handles keep them in final fields and an element access is one checked heap
 * load or store. A new block is zeroed, so new arrays hold zeros (null for references). An array
 * object whose fields are zero is a valid empty array: a crash between allocating a new array and
 * writing its fields leaves an unreachable empty array, not a broken one.
 *
 * <p>Threading: safe from any thread. An element load or store is one transaction of its own or
 * joins the caller's; whole-array operations ({@code of}, {@code toArray}, bulk copies) are one.
 */
abstract class ArrayBase extends PersistentObject implements OwnsBlocks {
    private static final int LENGTH = 8;
    private static final int ELEMENTS = 16;
    private static final int OBJECT_BYTES = 24;

    private final int length;
    private final int elementBytes;
    private final long elements;

    /** Allocates a new array of {@code length} zeroed elements of {@code elementBytes} bytes each. */
    ArrayBase(int length, int elementBytes) {
        if (length < 0) {
            throw new NegativeArraySizeException("length=" + length + ": a persistent array's length must be 0 or more");
        }
        this.length = length;
        this.elementBytes = elementBytes;
        super();
        Heap heap = heap();
        long address = hotpot$address;
        this.elements = length == 0 ? 0 : heap.transaction(() -> {
            long block = heap.allocate((long) length * elementBytes);
            heap.putLong(address + LENGTH, length);
            heap.putLong(address + ELEMENTS, block);
            return block;
        });
    }

    /** The handle of an existing array. */
    ArrayBase(Materializer token, long address, int elementBytes) {
        super(token, address);
        long stored = heap().getLong(address + LENGTH);
        if (stored < 0 || stored > Integer.MAX_VALUE) {
            throw new HeapCorruptException("the array at address=" + address + " of heap=" + heap().name()
                    + " has length=" + stored + "; the heap is damaged: restore it from a copy");
        }
        this.length = (int) stored;
        this.elementBytes = elementBytes;
        this.elements = heap().getLong(address + ELEMENTS);
    }

    static ClassLayout layout(Class<? extends ArrayBase> type) {
        return new ClassLayout(BuiltIns.storedName(type), OBJECT_BYTES, List.of(
                new FieldLayout("length", "J", LENGTH),
                new FieldLayout("elements", "J", ELEMENTS)));
    }

    /**
     * A new array of {@code make}'s type and {@code length}, its elements written by {@code encode}
     * into a native-order buffer of all element bytes, made in one transaction.
     */
    static <A extends ArrayBase> A create(IntFunction<A> make, int length, Consumer<ByteBuffer> encode) {
        return heap().transaction(() -> {
            A array = make.apply(length);
            array.writeAll(encode);
            return array;
        });
    }

    /**
     * Checks the storage of the array at {@code array}, of elements of {@code elementBytes} bytes
     * (value slots when {@code elementBytes} is {@link ValueSlots#SIZE}): a length within an
     * {@code int} and an elements block exactly when the length is not 0; shows the block and
     * any slots to {@code visitor}.
     */
    static void checkStorage(HeapReader heap, long array, int elementBytes, CollectionVisitor visitor) {
        long length = heap.getLong(array + LENGTH);
        long elements = heap.getLong(array + ELEMENTS);
        String where = "array at address=" + array;
        if (length < 0 || length > Integer.MAX_VALUE || (length == 0) != (elements == 0)) {
            visitor.problem(array, where + " has length=" + length + " elements=" + elements);
            return;
        }
        if (length == 0 || !visitor.owned(elements, length * elementBytes, "array elements")) {
            return;
        }
        if (elementBytes == ValueSlots.SIZE) {
            for (long i = 0; i < length; i++) {
                visitor.slot(elements + i * ValueSlots.SIZE, "array element");
            }
        }
    }

    static Heap heap() {
        return ObjectRuntime.heap();
    }

    public final int length() {
        return length;
    }

    /** The address of element {@code index}. */
    final long elementAddress(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index=" + index + " is outside " + getClass().getSimpleName()
                    + " of length=" + length + " at address=" + hotpot$address);
        }
        return elements + (long) index * elementBytes;
    }

    /** The address of element {@code from}, checking that {@code count} elements from it exist. */
    final long rangeAddress(int from, int count) {
        if (from < 0 || count < 0 || from > length - count) {
            throw new IndexOutOfBoundsException("from=" + from + " count=" + count + " is outside "
                    + getClass().getSimpleName() + " of length=" + length + " at address=" + hotpot$address);
        }
        return elements + (long) from * elementBytes;
    }

    /** Every element's bytes, read in one transaction, in a native-order buffer. */
    final ByteBuffer readAll() {
        byte[] bytes = new byte[Math.multiplyExact(length, elementBytes)];
        if (length > 0) {
            heap().getBytes(elements, bytes, 0, bytes.length);
        }
        return nativeOrder(bytes);
    }

    /** Writes every element's bytes, as {@code encode} puts them into a native-order buffer, in one transaction. */
    final void writeAll(Consumer<ByteBuffer> encode) {
        if (length > 0) {
            ByteBuffer bytes = nativeOrder(new byte[Math.multiplyExact(length, elementBytes)]);
            encode.accept(bytes);
            heap().putBytes(elements, bytes.array());
        }
    }

    @Override
    public void freeOwnedBlocks() {
        if (elements != 0) {
            heap().free(elements);
        }
    }

    private static ByteBuffer nativeOrder(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }
}
