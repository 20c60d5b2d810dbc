package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.OwnsBlocks;
import dev.hotpot.object.PersistentObject;
import dev.hotpot.object.ValueSlots;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static dev.hotpot.collections.Storable.cast;

/**
 * A growable list in the persistent heap, usable as a field of a {@code @Persistent} class or as a
 * root. Elements are any storable values: null, {@code String}s, boxed primitives, enums,
 * {@code @Persistent} objects and this package's collections.
 *
 * <pre>
 * list object (32 bytes)                 slots block: capacity x 16-byte value slot (see ValueSlots)
 *  0 header                               [0] element 0
 *  8 long size                            ...
 * 16 long capacity (0 without a block)    [size - 1] element size - 1
 * 24 long slots  -------------------->    [size .. capacity - 1] empty (kind NULL)
 * </pre>
 * Adding to a full block allocates one of twice the capacity, copies the slots and frees the old
 * block. Inserting and removing shift the following slots as raw bytes, so a moved slot keeps the
 * string blob it owns; removing an element frees its string. {@link Hotpot#free} frees the
 * strings and the block, but not the persistent objects the list refers to.
 *
 * <p>Invariants: slots at and after {@code size} are empty; a list whose fields are all zero is a
 * valid empty list, so a crash between the allocation of a new list and its first add leaves
 * nothing half-made.
 *
 * <p>Threading: safe from any thread; every operation, bulk ones included ({@code addAll},
 * {@code removeIf}, {@code sort}, ...), is a transaction of its own or joins the caller's.
 * Iterators, list iterators and sub-lists are live views: inside a transaction an iteration is
 * consistent; outside one each step is its own transaction, so it is not a snapshot. They fail
 * fast ({@link java.util.ConcurrentModificationException}) on changes made through this JVM's
 * handle by anything but themselves, and never read past the current size.
 */
public final class PersistentList<E> extends PersistentObject implements List<E>, RandomAccess, OwnsBlocks {
    private static final int SIZE = 8;
    private static final int CAPACITY = 16;
    private static final int SLOTS = 24;
    private static final int FIRST_CAPACITY = 8;

    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = new ClassLayout(BuiltIns.storedName(PersistentList.class), 32, List.of(
            new FieldLayout("size", "J", SIZE),
            new FieldLayout("capacity", "J", CAPACITY),
            new FieldLayout("slots", "J", SLOTS)));

    private final Heap heap = ObjectRuntime.heap();
    private final Slots slots = new Slots();

    /** A new, empty list in the default heap. */
    public PersistentList() {
        super();
    }

    /** A new list holding {@code elements} in their iteration order, which are added in one transaction. */
    public PersistentList(Collection<? extends E> elements) {
        super();
        addAll(elements);
    }

    /** The handle of an existing list; made by the runtime only. */
    PersistentList(Materializer token, long address) {
        super(token, address);
    }

    /** The slots in the heap seen as a list; the outer class wraps its methods in transactions. */
    private final class Slots extends AbstractList<E> implements RandomAccess {
        @Override
        public int size() {
            return (int) heap.getLong(hotpot$address + SIZE);
        }

        @Override
        public E get(int index) {
            return heap.transaction(() -> cast(ValueSlots.read(slot(Objects.checkIndex(index, size())))));
        }

        @Override
        public E set(int index, E element) {
            Storable.require(element, "element", PersistentList.this);
            return heap.transaction(() -> {
                long slot = slot(Objects.checkIndex(index, size()));
                E old = cast(ValueSlots.read(slot));
                ValueSlots.write(slot, element);
                return old;
            });
        }

        @Override
        public void add(int index, E element) {
            Storable.require(element, "element", PersistentList.this);
            heap.transaction(() -> {
                int size = size();
                Objects.checkIndex(index, size + 1);
                ensureCapacity(size + 1);
                moveSlots(index, index + 1, size - index);
                // The slot is empty or a stale copy of the one that moved up: it owns nothing.
                ValueSlots.init(slot(index), element);
                heap.putLong(hotpot$address + SIZE, size + 1);
            });
            modCount++;
        }

        @Override
        public E remove(int index) {
            E old = heap.transaction(() -> {
                E element = cast(ValueSlots.read(slot(Objects.checkIndex(index, size()))));
                removeSlots(index, index + 1);
                return element;
            });
            modCount++;
            return old;
        }

        @Override
        protected void removeRange(int from, int to) {
            heap.transaction(() -> {
                Objects.checkFromToIndex(from, to, size());
                removeSlots(from, to);
            });
            modCount++;
        }

        /** Frees the strings of slots {@code [from, to)} and closes the gap, which overwrites or empties each. */
        private void removeSlots(int from, int to) {
            int size = size();
            for (int i = from; i < to; i++) {
                ValueSlots.freeOwned(slot(i));
            }
            moveSlots(to, from, size - to);
            emptySlots(size - (to - from), to - from);
            heap.putLong(hotpot$address + SIZE, size - (to - from));
        }

        private void ensureCapacity(int needed) {
            long capacity = heap.getLong(hotpot$address + CAPACITY);
            if (needed <= capacity) {
                return;
            }
            long grown = Math.max(needed, Math.max(FIRST_CAPACITY, 2 * capacity));
            long old = heap.getLong(hotpot$address + SLOTS);
            long block = heap.allocate(grown * ValueSlots.SIZE);
            if (old != 0) {
                heap.putBytes(block, heap.getBytes(old, size() * ValueSlots.SIZE));
                heap.free(old);
            }
            heap.putLong(hotpot$address + SLOTS, block);
            heap.putLong(hotpot$address + CAPACITY, grown);
        }

        /** Copies {@code count} slots as raw bytes, so the strings they own move with them. */
        private void moveSlots(int from, int to, int count) {
            if (count > 0) {
                heap.putBytes(slot(to), heap.getBytes(slot(from), count * ValueSlots.SIZE));
            }
        }

        /** Empties slots whose strings moved elsewhere (without freeing them). */
        private void emptySlots(int from, int count) {
            if (count > 0) {
                heap.putBytes(slot(from), new byte[count * ValueSlots.SIZE]);
            }
        }

        private long slot(int index) {
            return heap.getLong(hotpot$address + SLOTS) + (long) index * ValueSlots.SIZE;
        }
    }

    @Override
    public void freeOwnedBlocks() {
        long block = heap.getLong(hotpot$address + SLOTS);
        if (block != 0) {
            for (long i = 0, size = slots.size(); i < size; i++) {
                ValueSlots.freeOwned(block + i * ValueSlots.SIZE);
            }
            heap.free(block);
        }
    }

    /**
     * Checks the storage of the list at {@code list} against its invariants (no block without
     * capacity, size within capacity, empty slots from the size on) and shows its block and slots
     * to {@code visitor}.
     */
    static void checkStorage(HeapReader heap, long list, CollectionVisitor visitor) {
        long size = heap.getLong(list + SIZE);
        long capacity = heap.getLong(list + CAPACITY);
        long block = heap.getLong(list + SLOTS);
        String where = "PersistentList at address=" + list;
        if (block == 0 || capacity == 0) {
            if (block != 0 || capacity != 0 || size != 0) {
                visitor.problem(list, where + " has slots=" + block + " capacity=" + capacity + " size=" + size);
            }
            return;
        }
        if (size < 0 || capacity < 0 || size > capacity) {
            visitor.problem(list, where + " has size=" + size + " beyond its capacity=" + capacity);
            return;
        }
        if (!visitor.owned(block, capacity * ValueSlots.SIZE, "list slots")) {
            return;
        }
        for (long i = 0; i < size; i++) {
            visitor.slot(block + i * ValueSlots.SIZE, "list element");
        }
        for (long i = size; i < capacity; i++) {
            long slot = block + i * ValueSlots.SIZE;
            if (heap.getLong(slot) != 0 || heap.getLong(slot + 8) != 0) {
                visitor.problem(slot, where + ": slot " + i + " at or after size=" + size + " is not empty");
            }
        }
    }

    // ---- List, each method one transaction --------------------------------------------------

    @Override
    public int size() {
        return slots.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public E get(int index) {
        return slots.get(index);
    }

    /** @throws IllegalArgumentException if the element is not storable; the list is then unchanged */
    @Override
    public E set(int index, E element) {
        return slots.set(index, element);
    }

    /** @throws IllegalArgumentException if the element is not storable; the list is then unchanged */
    @Override
    public boolean add(E element) {
        return heap.transaction(() -> slots.add(element));
    }

    /** @throws IllegalArgumentException if the element is not storable; the list is then unchanged */
    @Override
    public void add(int index, E element) {
        slots.add(index, element);
    }

    @Override
    public E remove(int index) {
        return slots.remove(index);
    }

    @Override
    public boolean remove(Object element) {
        return heap.transaction(() -> slots.remove(element));
    }

    @Override
    public void clear() {
        slots.clear();
    }

    @Override
    public boolean contains(Object element) {
        return heap.transaction(() -> slots.contains(element));
    }

    @Override
    public int indexOf(Object element) {
        return heap.transaction(() -> slots.indexOf(element));
    }

    @Override
    public int lastIndexOf(Object element) {
        return heap.transaction(() -> slots.lastIndexOf(element));
    }

    @Override
    public boolean containsAll(Collection<?> elements) {
        return heap.transaction(() -> slots.containsAll(elements));
    }

    /** Adds all elements or none: a refused element rolls back the ones added before it. */
    @Override
    public boolean addAll(Collection<? extends E> elements) {
        return heap.transaction(() -> slots.addAll(elements));
    }

    /** Adds all elements or none: a refused element rolls back the ones added before it. */
    @Override
    public boolean addAll(int index, Collection<? extends E> elements) {
        return heap.transaction(() -> slots.addAll(index, elements));
    }

    @Override
    public boolean removeAll(Collection<?> elements) {
        return heap.transaction(() -> slots.removeAll(elements));
    }

    @Override
    public boolean retainAll(Collection<?> elements) {
        return heap.transaction(() -> slots.retainAll(elements));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return heap.transaction(() -> slots.removeIf(filter));
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        heap.transaction(() -> slots.replaceAll(operator));
    }

    @Override
    public void sort(Comparator<? super E> comparator) {
        heap.transaction(() -> slots.sort(comparator));
    }

    @Override
    public Object[] toArray() {
        return heap.transaction(() -> slots.toArray());
    }

    @Override
    public <T> T[] toArray(T[] array) {
        return heap.transaction(() -> slots.toArray(array));
    }

    @Override
    public Iterator<E> iterator() {
        return slots.iterator();
    }

    @Override
    public ListIterator<E> listIterator() {
        return slots.listIterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return slots.listIterator(index);
    }

    @Override
    public List<E> subList(int from, int to) {
        return slots.subList(from, to);
    }

    /** Equal to any {@code List} with equal elements in the same order, as {@code java.util.List} defines it. */
    @Override
    public boolean equals(Object o) {
        return o == this || heap.transaction(() -> slots.equals(o));
    }

    /** The hash of the elements in order, as {@code java.util.List} defines it. */
    @Override
    public int hashCode() {
        return heap.transaction(slots::hashCode);
    }

    /** As {@code AbstractCollection}'s, except that the list found among its own elements is "(this Collection)". */
    @Override
    public String toString() {
        return heap.transaction(() -> {
            StringJoiner text = new StringJoiner(", ", "[", "]");
            for (E element : slots) {
                text.add(element == this ? "(this Collection)" : String.valueOf(element));
            }
            return text.toString();
        });
    }
}
