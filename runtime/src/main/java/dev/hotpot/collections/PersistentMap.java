package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.OwnsBlocks;
import dev.hotpot.object.PersistentObject;
import dev.hotpot.object.ValueSlots;

import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.LongFunction;

import static dev.hotpot.collections.Storable.cast;

/**
 * A hash map in the persistent heap, usable as a field of a {@code @Persistent} class or as a
 * root. Keys and values are any storable values: null, {@code String}s, boxed primitives, enums,
 * {@code @Persistent} objects and this package's collections. Null keys and null values are
 * supported. Keys hash with a hash that is the same in every JVM; persistent-object keys (this
 * map and lists included) compare by identity, everything else by {@code equals}.
 *
 * <pre>
 * map object (40 bytes)          table: capacity x long        entry block (48 bytes)
 *  0 header                       [0] -> entry -> entry -> 0     0 long next entry of the chain, 0 ends it
 *  8 long size                    [1] -> 0                       8 int  hash of the key (stable, high bits folded in)
 * 16 long table  -------------->  ...                           12 int  0
 * 24 long capacity (2^n, 0 without a table)                     16 key   value slot (16 bytes, see ValueSlots)
 * 32 long modifications (inserts and removals so far)           32 value value slot (16 bytes)
 * </pre>
 * The table is allocated by the first put and doubles when an insert would make it more than 3/4
 * full; growing relinks entries (they never move), then frees the old table. Removing a mapping
 * frees its entry and the strings its slots own; {@link Hotpot#free} frees every entry and the
 * table, but not the persistent objects the map refers to.
 *
 * <p>Invariants: a map whose fields are all zero is a valid empty map, so a crash between the
 * allocation of a new map and its first put leaves nothing half-made.
 *
 * <p>Threading: safe from any thread; every operation is a transaction of its own or joins the
 * caller's. The {@code Map} defaults that combine steps ({@code putIfAbsent}, {@code compute},
 * {@code merge}, ...) are one transaction too; their functions may run again when the
 * transaction is re-run after a conflict. Views and iterators are live: inside a transaction an
 * iteration is consistent; outside one each step is its own transaction, so it is not a
 * snapshot, and an insert or removal made by anyone but the iterator makes its next step throw
 * {@link ConcurrentModificationException} (best effort, as in {@code java.util}). Bulk operations
 * of the views ({@code removeAll}, {@code retainAll}, {@code removeIf}) are a sequence of such
 * steps; run them in {@link Hotpot#transaction} to make them atomic. An entry is valid until its
 * mapping is removed.
 */
public final class PersistentMap<K, V> extends PersistentObject implements TransactionalMap<K, V>, OwnsBlocks {
    /** The fixed layout the runtime binds this class to. */
    static final ClassLayout LAYOUT = HashChains.layout(BuiltIns.storedName(PersistentMap.class));

    private static final Object ABSENT = new Object();

    private final Heap heap = ObjectRuntime.heap();
    private final HashChains chains = new HashChains(heap, hotpot$address);

    /** A new, empty map in the default heap. */
    public PersistentMap() {
        super();
    }

    /** A new map holding the mappings of {@code mappings}, which are put in one transaction. */
    public PersistentMap(Map<? extends K, ? extends V> mappings) {
        super();
        putAll(mappings);
    }

    /** The handle of an existing map; made by the runtime only. */
    PersistentMap(Materializer token, long address) {
        super(token, address);
    }

    // ---- queries ----------------------------------------------------------------------------

    @Override
    public int size() {
        return heap.transaction(chains::size);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return ValueSlots.isStorable(key) && heap.transaction(() -> chains.find(key) != 0);
    }

    @Override
    public boolean containsValue(Object value) {
        return heap.transaction(() -> {
            for (long entry = chains.first(); entry != 0; entry = chains.after(entry)) {
                if (chains.holdsValue(entry, value)) {
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public V get(Object key) {
        return getOrDefault(key, null);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        if (!ValueSlots.isStorable(key)) {
            return defaultValue;
        }
        return heap.transaction(() -> {
            long entry = chains.find(key);
            return entry == 0 ? defaultValue : valueAt(entry);
        });
    }

    // ---- changes ----------------------------------------------------------------------------

    /** @throws IllegalArgumentException if the key or the value is not storable; the map is then unchanged */
    @Override
    public V put(K key, V value) {
        Storable.require(key, "key", this);
        Storable.require(value, "value", this);
        return heap.transaction(() -> {
            long entry = chains.find(key);
            if (entry == 0) {
                chains.insert(key, value);
                return null;
            }
            V old = valueAt(entry);
            chains.setValue(entry, value);
            return old;
        });
    }

    @Override
    public V remove(Object key) {
        Object old = removeKey(key);
        return old == ABSENT ? null : cast(old);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> mappings) {
        heap.transaction(() -> mappings.forEach(this::put));
    }

    @Override
    public void clear() {
        heap.transaction(chains::clear);
    }

    @Override
    public void freeOwnedBlocks() {
        chains.clear();
    }

    /** Removes the mapping of {@code key}; returns its old value, or {@link #ABSENT} when there was none. */
    private Object removeKey(Object key) {
        if (!ValueSlots.isStorable(key)) {
            return ABSENT;
        }
        return heap.transaction(() -> {
            long entry = chains.find(key);
            if (entry == 0) {
                return ABSENT;
            }
            Object old = chains.value(entry);
            chains.remove(entry);
            return old;
        });
    }

    // ---- Map defaults made atomic (TransactionalMap) ----------------------------------------

    /** The heap this map lives in; the combining {@code Map} defaults run in its transactions. */
    @Override
    public Heap heap() {
        return heap;
    }

    // ---- views ------------------------------------------------------------------------------

    @Override
    public Set<K> keySet() {
        return new KeySet();
    }

    @Override
    public Collection<V> values() {
        return new Values();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new EntrySet();
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new ChainIterator<>(PersistentMap.this::keyAt);
        }

        @Override
        public int size() {
            return PersistentMap.this.size();
        }

        @Override
        public boolean contains(Object key) {
            return containsKey(key);
        }

        @Override
        public boolean remove(Object key) {
            return removeKey(key) != ABSENT;
        }

        @Override
        public void clear() {
            PersistentMap.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ChainIterator<>(PersistentMap.this::valueAt);
        }

        @Override
        public int size() {
            return PersistentMap.this.size();
        }

        @Override
        public boolean contains(Object value) {
            return containsValue(value);
        }

        @Override
        public void clear() {
            PersistentMap.this.clear();
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new ChainIterator<Map.Entry<K, V>>(Entry::new);
        }

        @Override
        public int size() {
            return PersistentMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof Map.Entry<?, ?> e && heap.transaction(() -> entryOf(e) != 0);
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Map.Entry<?, ?> e && heap.transaction(() -> {
                long entry = entryOf(e);
                if (entry != 0) {
                    chains.remove(entry);
                }
                return entry != 0;
            });
        }

        @Override
        public void clear() {
            PersistentMap.this.clear();
        }

        /** The entry of this map equal to {@code e} (same key, equal value), or 0. */
        private long entryOf(Map.Entry<?, ?> e) {
            if (!ValueSlots.isStorable(e.getKey())) {
                return 0;
            }
            long entry = chains.find(e.getKey());
            return entry != 0 && Objects.equals(chains.value(entry), e.getValue()) ? entry : 0;
        }
    }

    /** One step of an iteration: the entry after the one stepped to, and the element it yields. */
    private record Step<T>(long following, T element) {
    }

    /**
     * Walks the chains. Each step reads in one transaction and changes the iterator's fields only
     * after it has committed, so a step that is re-run after a conflict starts from the same state.
     */
    private final class ChainIterator<T> implements Iterator<T> {
        private final LongFunction<T> element;
        private long next;
        private long current;
        private long expectedModifications;

        /** @param element what an entry yields: its key, its value or the entry itself */
        ChainIterator(LongFunction<T> element) {
            this.element = element;
            long[] start = heap.transaction(() -> new long[] {chains.first(), chains.modifications()});
            next = start[0];
            expectedModifications = start[1];
        }

        @Override
        public boolean hasNext() {
            return next != 0;
        }

        @Override
        public T next() {
            if (next == 0) {
                throw new NoSuchElementException("the iteration of the map at address=" + hotpot$address + " is done");
            }
            long at = next;
            Step<T> step = heap.transaction(() -> {
                checkUnmodified();
                return new Step<>(chains.after(at), element.apply(at));
            });
            current = at;
            next = step.following();
            return step.element();
        }

        @Override
        public void remove() {
            if (current == 0) {
                throw new IllegalStateException("remove() needs a preceding next() that it has not removed yet");
            }
            long removed = current;
            expectedModifications = heap.transaction(() -> {
                checkUnmodified();
                chains.remove(removed);
                return chains.modifications();
            });
            current = 0;
        }

        private void checkUnmodified() {
            long now = chains.modifications();
            if (now != expectedModifications) {
                throw new ConcurrentModificationException("the map at address=" + hotpot$address + " had "
                        + (now - expectedModifications) + " inserts or removals during this iteration; iterate inside"
                        + " a transaction, or change the map only through the iterator while iterating");
            }
        }
    }

    /** A live mapping: reads and writes go to the entry block in the heap. */
    private final class Entry implements Map.Entry<K, V> {
        private final long entry;

        Entry(long entry) {
            this.entry = entry;
        }

        @Override
        public K getKey() {
            return heap.transaction(() -> keyAt(entry));
        }

        @Override
        public V getValue() {
            return heap.transaction(() -> valueAt(entry));
        }

        /** @throws IllegalArgumentException if the value is not storable; the entry is then unchanged */
        @Override
        public V setValue(V value) {
            Storable.require(value, "value", PersistentMap.this);
            return heap.transaction(() -> {
                V old = valueAt(entry);
                chains.setValue(entry, value);
                return old;
            });
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && heap.transaction(
                    () -> Objects.equals(keyAt(entry), e.getKey()) && Objects.equals(valueAt(entry), e.getValue()));
        }

        @Override
        public int hashCode() {
            return heap.transaction(() -> Objects.hashCode(keyAt(entry)) ^ Objects.hashCode(valueAt(entry)));
        }

        @Override
        public String toString() {
            return heap.transaction(() -> keyAt(entry) + "=" + valueAt(entry));
        }
    }

    // ---- java.util.Map contract -------------------------------------------------------------

    /** Equal to any {@code Map} with the same mappings, as {@code java.util.AbstractMap} defines it. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map<?, ?> other)) {
            return false;
        }
        return heap.transaction(() -> {
            if (other.size() != chains.size()) {
                return false;
            }
            try {
                for (long entry = chains.first(); entry != 0; entry = chains.after(entry)) {
                    Object key = chains.key(entry);
                    Object value = chains.value(entry);
                    if (value == null ? other.get(key) != null || !other.containsKey(key) : !value.equals(other.get(key))) {
                        return false;
                    }
                }
            } catch (ClassCastException | NullPointerException refusedKey) {
                // The other map cannot hold one of our keys, so it has no mapping for it.
                return false;
            }
            return true;
        });
    }

    /** The sum of the entries' hash codes, as {@code java.util.AbstractMap} defines it. */
    @Override
    public int hashCode() {
        return heap.transaction(() -> {
            int hash = 0;
            for (long entry = chains.first(); entry != 0; entry = chains.after(entry)) {
                hash += Objects.hashCode(chains.key(entry)) ^ Objects.hashCode(chains.value(entry));
            }
            return hash;
        });
    }

    @Override
    public String toString() {
        return heap.transaction(() -> {
            StringJoiner text = new StringJoiner(", ", "{", "}");
            for (long entry = chains.first(); entry != 0; entry = chains.after(entry)) {
                text.add(describe(chains.key(entry)) + "=" + describe(chains.value(entry)));
            }
            return text.toString();
        });
    }

    private String describe(Object keyOrValue) {
        return keyOrValue == this ? "(this Map)" : String.valueOf(keyOrValue);
    }

    private K keyAt(long entry) {
        return cast(chains.key(entry));
    }

    private V valueAt(long entry) {
        return cast(chains.value(entry));
    }
}
