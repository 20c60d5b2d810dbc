package dev.hotpot;

import dev.hotpot.heap.Heap;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.OwnsBlocks;
import dev.hotpot.object.PersistentObject;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

import static dev.hotpot.BPlusTree.ABSENT;
import static dev.hotpot.BPlusTree.CEILING;
import static dev.hotpot.BPlusTree.FLOOR;
import static dev.hotpot.BPlusTree.HIGHER;
import static dev.hotpot.BPlusTree.LOWER;

/**
 * An ordered map in the persistent heap, a B+-tree, usable as a field of a {@code @Persistent}
 * class or as a root. Keys are in natural order and of one class per map: {@code String} or a
 * boxed primitive ({@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code Character},
 * {@code Boolean}, {@code Double}, {@code Float}); there are no comparators, since a comparator
 * cannot be stored. Values are any storable value, null included, as in {@link PersistentMap}.
 *
 * <pre>
 * map object (24 bytes)            nodes: 2040-byte blocks, one 2 KiB allocator class (layout in BPlusNode)
 *  0 header
 *  8 long root  -----------> inner  { count; level n; 0 } children[51] separators[50] (prefix, key slot)
 * 16 long keyKind                     |            |
 *    value-slot kind of every key     v            v
 *    (2 String, 3..10 a boxed    leaf --next--> leaf --next--> leaf --next--> 0
 *    primitive; 0 while empty)   { count; level 0; next } used bitmap, order[41],
 *                                slots[41]: { prefix (16 bytes); key slot; value slot }
 * </pre>
 * Leaf entries stay in the slot they were put in; the order array lists the slots in key order,
 * so an insert or removal writes one slot and a few order bytes. A put that fills a leaf splits
 * it (the upper half of its keys moves to a new right leaf, or, for an append after the greatest
 * key, only the new key) and adds a separator to the parent, splitting inner nodes up to the root
 * as needed. A separator between two string keys is the shortest prefix of the right one that is
 * greater than the left one. A removal frees the key's and the value's strings; a leaf it empties
 * is unlinked from the chain and freed, and its separator is removed from the parent (an emptied
 * inner node goes the same way, and a root left with one child gives way to it). Underfull nodes
 * are not merged. {@link #clear} and {@link Hotpot#free} free every node, but not the persistent
 * objects the map refers to.
 *
 * <p>Each key is stored with a 16-byte order-preserving prefix next to its slot: a lookup
 * compares prefixes, and only on a tie compares the probe with the stored string's bytes in
 * place, so it makes no {@code String} per comparison.
 *
 * <p>Invariants: a map whose fields are all zero is a valid empty map, so a crash between the
 * allocation of a new map and its first put leaves nothing half-made; the map object changes only
 * when the root does. There is no size or modification count in the heap (it would be a page
 * every insert writes, and so a conflict between every two concurrent inserts): {@link #size}
 * walks the leaf chain summing per-leaf counts, O(leaves), exactly inside a transaction and
 * weakly consistently (64 leaves per transaction) outside one; {@link #isEmpty} reads the root.
 *
 * <p>Keys: a null key throws {@code NullPointerException}; putting a key of another class than
 * String or a boxed primitive throws {@code IllegalArgumentException}, and using a key of another
 * class than the map's keys throws {@code ClassCastException}, both naming the map's address and
 * before anything changes.
 *
 * <p>Threading: safe from any thread; every operation is a transaction of its own or joins the
 * caller's. The {@code Map} defaults that combine steps ({@code putIfAbsent}, {@code compute},
 * {@code merge}, ...) and {@code pollFirstEntry}/{@code pollLastEntry} are one transaction too;
 * their functions may run again when the transaction is re-run after a conflict. Views
 * ({@code headMap}, {@code tailMap}, {@code subMap}, {@code descendingMap}, key sets, entry set,
 * values) are live and bounded as in {@code java.util.TreeMap}. Iterators are weakly consistent,
 * as in {@code ConcurrentSkipListMap}: they never throw {@code ConcurrentModificationException}
 * and return every key that is in the map throughout the iteration, once, in order. Outside a
 * transaction each step that needs entries reads a small batch in a transaction of its own,
 * starting after the last key returned (a batch is read again after any change through this
 * map); inside a transaction the iteration sees the transaction's own state. {@code equals},
 * {@code hashCode}, {@code toString}, {@code putAll} and {@code clear} are one transaction;
 * {@code size} and {@code containsValue} outside a transaction are weakly consistent, as
 * iterations are (run them in {@link Hotpot#transaction} for an exact answer). Returned entries are
 * immutable snapshots, except that an iterator's entry writes {@code setValue} through to the map.
 *
 * @param <K> the key class: String or a boxed primitive
 */
public final class PersistentSortedMap<K, V> extends PersistentObject
        implements NavigableMap<K, V>, TransactionalMap<K, V>, OwnsBlocks {
    /** The fixed layout the runtime binds this class to. */
    public static final ClassLayout LAYOUT = BPlusTree.layout(PersistentSortedMap.class.getName());

    /** No key yet (keys and values are never this object). */
    private static final Object NONE = new Object();
    /** Leaves a count outside a transaction reads per transaction. */
    private static final int LEAVES_PER_COUNT = 64;
    private static final int KEYS = 0;
    private static final int VALUES = 1;
    private static final int ENTRIES = 2;

    private final Heap heap = ObjectRuntime.heap();
    private final BPlusTree tree = new BPlusTree(heap, hotpot$address);
    private final View all = new View(true, null, true, true, null, true, false);

    /** A new, empty map in the default heap. */
    public PersistentSortedMap() {
        super();
    }

    /** A new map holding the mappings of {@code mappings}, which are put in one transaction. */
    public PersistentSortedMap(Map<? extends K, ? extends V> mappings) {
        super();
        putAll(mappings);
    }

    /** The handle of an existing map; made by the runtime only. */
    public PersistentSortedMap(Materializer token, long address) {
        super(token, address);
    }

    // ---- Map --------------------------------------------------------------------------------

    /** The number of mappings: a walk of the leaf chain, O(number of leaves). */
    @Override
    public int size() {
        return all.size();
    }

    /** Whether the map is empty: O(1). */
    @Override
    public boolean isEmpty() {
        return all.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return all.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return all.containsValue(value);
    }

    @Override
    public V get(Object key) {
        return all.get(key);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return all.getOrDefault(key, defaultValue);
    }

    /**
     * @throws IllegalArgumentException if the key is not a String or boxed primitive, or the value is not storable
     * @throws ClassCastException       if the map holds keys of another class
     * @throws NullPointerException     if the key is null
     */
    @Override
    public V put(K key, V value) {
        return all.put(key, value);
    }

    @Override
    public V remove(Object key) {
        return all.remove(key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> mappings) {
        all.putAll(mappings);
    }

    @Override
    public void clear() {
        all.clear();
    }

    @Override
    public void freeOwnedBlocks() {
        tree.clear();
    }

    @Override
    public Set<K> keySet() {
        return all.navigableKeySet();
    }

    @Override
    public Collection<V> values() {
        return all.values();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return all.entrySet();
    }

    /** The heap this map lives in; the combining {@code Map} defaults run in its transactions. */
    @Override
    public Heap heap() {
        return heap;
    }

    // ---- NavigableMap -----------------------------------------------------------------------

    /** Always null: keys are in natural order. */
    @Override
    public Comparator<? super K> comparator() {
        return null;
    }

    @Override
    public K firstKey() {
        return all.firstKey();
    }

    @Override
    public K lastKey() {
        return all.lastKey();
    }

    @Override
    public Map.Entry<K, V> lowerEntry(K key) {
        return all.lowerEntry(key);
    }

    @Override
    public K lowerKey(K key) {
        return all.lowerKey(key);
    }

    @Override
    public Map.Entry<K, V> floorEntry(K key) {
        return all.floorEntry(key);
    }

    @Override
    public K floorKey(K key) {
        return all.floorKey(key);
    }

    @Override
    public Map.Entry<K, V> ceilingEntry(K key) {
        return all.ceilingEntry(key);
    }

    @Override
    public K ceilingKey(K key) {
        return all.ceilingKey(key);
    }

    @Override
    public Map.Entry<K, V> higherEntry(K key) {
        return all.higherEntry(key);
    }

    @Override
    public K higherKey(K key) {
        return all.higherKey(key);
    }

    @Override
    public Map.Entry<K, V> firstEntry() {
        return all.firstEntry();
    }

    @Override
    public Map.Entry<K, V> lastEntry() {
        return all.lastEntry();
    }

    @Override
    public Map.Entry<K, V> pollFirstEntry() {
        return all.pollFirstEntry();
    }

    @Override
    public Map.Entry<K, V> pollLastEntry() {
        return all.pollLastEntry();
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return all.descendingMap();
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return all.navigableKeySet();
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return all.descendingKeySet();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return all.subMap(fromKey, fromInclusive, toKey, toInclusive);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return all.headMap(toKey, inclusive);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return all.tailMap(fromKey, inclusive);
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return all.subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        return all.headMap(toKey);
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        return all.tailMap(fromKey);
    }

    // ---- java.util.Map contract -------------------------------------------------------------

    /** Equal to any {@code Map} with the same mappings, as {@code java.util.AbstractMap} defines it. */
    @Override
    public boolean equals(Object o) {
        return o == this || all.equals(o);
    }

    /** The sum of the entries' hash codes, as {@code java.util.AbstractMap} defines it. */
    @Override
    public int hashCode() {
        return all.hashCode();
    }

    @Override
    public String toString() {
        return all.toString();
    }

    /** Checks the tree's structural invariants in one transaction (for tests); see {@link BPlusTree#checkInvariants}. */
    BPlusTree.Shape checkInvariants() {
        return heap.transaction(tree::checkInvariants);
    }

    // ---- keys -------------------------------------------------------------------------------

    /**
     * {@code key} ready for a lookup.
     *
     * @throws NullPointerException if it is null
     * @throws ClassCastException   if no sorted map can hold it
     */
    private SortKey probe(Object key) {
        if (SortKey.kindOf(key) == 0) {
            if (key == null) {
                throw nullKey();
            }
            throw new ClassCastException("a key of class=" + key.getClass().getName() + " cannot be compared with the keys"
                    + " of PersistentSortedMap at address=" + hotpot$address + "; its keys are Strings or boxed primitives,"
                    + " all of one class");
        }
        return SortKey.of(key);
    }

    /**
     * {@code key} ready for a store.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if no sorted map can hold it
     */
    private SortKey storableKey(Object key) {
        if (SortKey.kindOf(key) == 0) {
            if (key == null) {
                throw nullKey();
            }
            throw new IllegalArgumentException("cannot store a key of class=" + key.getClass().getName()
                    + " in PersistentSortedMap at address=" + hotpot$address + "; its keys are Strings or boxed primitives"
                    + " (all of one class, in natural order); use a PersistentMap for other keys");
        }
        return SortKey.of(key);
    }

    private NullPointerException nullKey() {
        return new NullPointerException("PersistentSortedMap at address=" + hotpot$address + " has no null keys");
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object stored) {
        return (T) stored;
    }

    // ---- views ------------------------------------------------------------------------------

    /** Up to {@code count} entries read in one transaction; {@code end}: nothing follows them in the view. */
    private record Batch(Object[] keys, Object[] values, int count, boolean end) {
    }

    /**
     * The map, or a range of it, in ascending or descending order: the whole map is the view
     * without bounds. Bounds and their checks follow {@code java.util.TreeMap}'s sub-maps; the
     * {@code abs...} positions are in ascending key order whatever the view's direction.
     */
    private final class View extends AbstractMap<K, V> implements NavigableMap<K, V>, TransactionalMap<K, V> {
        private final boolean fromStart;
        private final K lo;
        private final boolean loInclusive;
        private final boolean toEnd;
        private final K hi;
        private final boolean hiInclusive;
        private final boolean descending;
        private final SortKey loKey;
        private final SortKey hiKey;

        View(boolean fromStart, K lo, boolean loInclusive, boolean toEnd, K hi, boolean hiInclusive, boolean descending) {
            this.loKey = fromStart ? null : probe(lo);
            this.hiKey = toEnd ? null : probe(hi);
            if (!fromStart && !toEnd && SortKey.compare(lo, hi) > 0) {
                throw new IllegalArgumentException("fromKey=" + lo + " > toKey=" + hi);
            }
            this.fromStart = fromStart;
            this.lo = lo;
            this.loInclusive = loInclusive;
            this.toEnd = toEnd;
            this.hi = hi;
            this.hiInclusive = hiInclusive;
            this.descending = descending;
        }

        private boolean whole() {
            return fromStart && toEnd;
        }

        // ---- range checks on keys ----

        private boolean tooLow(Object key) {
            if (fromStart) {
                return false;
            }
            int c = SortKey.compare(key, lo);
            return c < 0 || (c == 0 && !loInclusive);
        }

        private boolean tooHigh(Object key) {
            if (toEnd) {
                return false;
            }
            int c = SortKey.compare(key, hi);
            return c > 0 || (c == 0 && !hiInclusive);
        }

        private boolean inRange(Object key) {
            return !tooLow(key) && !tooHigh(key);
        }

        private boolean inClosedRange(Object key) {
            return (fromStart || SortKey.compare(key, lo) >= 0) && (toEnd || SortKey.compare(hi, key) >= 0);
        }

        private boolean inRange(Object key, boolean inclusive) {
            return inclusive ? inRange(key) : inClosedRange(key);
        }

        private void requireInRange(Object key) {
            if (!inRange(key)) {
                throw new IllegalArgumentException("key=" + key + " is out of the range of this view of PersistentSortedMap"
                        + " at address=" + hotpot$address);
            }
        }

        // ---- positions, in a transaction ----

        private boolean aboveHigh(long entry) {
            return !toEnd && !tree.below(entry, hiKey, hiInclusive);
        }

        private boolean belowLow(long entry) {
            return !fromStart && !tree.above(entry, loKey, loInclusive);
        }

        private boolean absLowest(BPlusTree.Cursor c) {
            boolean found = fromStart ? tree.first(c) : tree.seek(loKey, loInclusive ? CEILING : HIGHER, c);
            return found && !aboveHigh(tree.entry(c));
        }

        private boolean absHighest(BPlusTree.Cursor c) {
            boolean found = toEnd ? tree.last(c) : tree.seek(hiKey, hiInclusive ? FLOOR : LOWER, c);
            return found && !belowLow(tree.entry(c));
        }

        /** Places the cursor on the entry in absolute {@code relation} to {@code key}, within the bounds. */
        private boolean absRelative(int relation, SortKey key, BPlusTree.Cursor c) {
            if (relation == CEILING || relation == HIGHER) {
                if (tooLow(key.key)) {
                    return absLowest(c);
                }
                return tree.seek(key, relation, c) && !aboveHigh(tree.entry(c));
            }
            if (tooHigh(key.key)) {
                return absHighest(c);
            }
            return tree.seek(key, relation, c) && !belowLow(tree.entry(c));
        }

        private boolean first(BPlusTree.Cursor c) {
            return descending ? absHighest(c) : absLowest(c);
        }

        private boolean last(BPlusTree.Cursor c) {
            return descending ? absLowest(c) : absHighest(c);
        }

        /** {@code relation} in this view's order, as an absolute one (lower and higher swap when descending). */
        private int absolute(int relation) {
            return descending ? HIGHER - relation : relation;
        }

        private Map.Entry<K, V> entryAt(BPlusTree.Cursor c) {
            long entry = tree.entry(c);
            return new SimpleImmutableEntry<>(cast(tree.key(entry)), cast(tree.value(entry)));
        }

        private Map.Entry<K, V> relativeEntry(int relation, Object key) {
            SortKey k = probe(key);
            return heap.transaction(() -> {
                BPlusTree.Cursor c = new BPlusTree.Cursor();
                return absRelative(absolute(relation), k, c) ? entryAt(c) : null;
            });
        }

        private K relativeKey(int relation, Object key) {
            SortKey k = probe(key);
            return heap.transaction(() -> {
                BPlusTree.Cursor c = new BPlusTree.Cursor();
                return absRelative(absolute(relation), k, c) ? cast(tree.key(tree.entry(c))) : null;
            });
        }

        private K endKey(boolean first) {
            Object key = heap.transaction(() -> {
                BPlusTree.Cursor c = new BPlusTree.Cursor();
                return (first ? first(c) : last(c)) ? tree.key(tree.entry(c)) : NONE;
            });
            if (key == NONE) {
                throw new NoSuchElementException("PersistentSortedMap at address=" + hotpot$address
                        + (whole() ? " is empty" : ": this view of it is empty"));
            }
            return cast(key);
        }

        private Map.Entry<K, V> endEntry(boolean first, boolean poll) {
            return heap.transaction(() -> {
                BPlusTree.Cursor c = new BPlusTree.Cursor();
                if (!(first ? first(c) : last(c))) {
                    return null;
                }
                Map.Entry<K, V> entry = entryAt(c);
                if (poll) {
                    tree.remove(SortKey.of(entry.getKey()));
                }
                return entry;
            });
        }

        /**
         * Reads up to {@code max} entries in view order after {@code after} (or from the start
         * for {@link #NONE}), in a transaction. Ascending reads follow the leaf chain; descending
         * reads stop at the start of a leaf, and the next batch seeks again.
         */
        private Batch read(Object after, int max, boolean withValues) {
            BPlusTree.Cursor c = new BPlusTree.Cursor();
            boolean found = after == NONE ? first(c) : absRelative(descending ? LOWER : HIGHER, SortKey.of(after), c);
            Object[] keys = new Object[max];
            Object[] values = withValues ? new Object[max] : null;
            int n = 0;
            boolean end = !found;
            while (found && n < max) {
                long entry = tree.entry(c);
                if (descending ? belowLow(entry) : aboveHigh(entry)) {
                    end = true;
                    break;
                }
                keys[n] = tree.key(entry);
                if (withValues) {
                    values[n] = tree.value(entry);
                }
                n++;
                if (descending) {
                    if (c.index == 0) {
                        break;
                    }
                    c.index--;
                } else if (!tree.advance(c)) {
                    end = true;
                    break;
                }
            }
            return new Batch(keys, values, n, end);
        }

        /** Whether the key was mapped; removes its mapping. */
        private boolean removeKey(Object key) {
            SortKey k = probe(key);
            return inRange(key) && heap.transaction(() -> tree.remove(k)) != ABSENT;
        }

        // ---- Map ----

        /**
         * Inside a transaction, the exact count in it. Outside one, a count made in steps of
         * {@code LEAVES_PER_COUNT} leaves, each a transaction of its own (a single one over a big
         * map would conflict with every concurrent writer): weakly consistent, like
         * {@code ConcurrentSkipListMap.size()}.
         */
        @Override
        public int size() {
            if (heap.inTransaction()) {
                return (int) Math.min(Integer.MAX_VALUE,
                        tree.countRange(loKey, loInclusive, hiKey, hiInclusive, Integer.MAX_VALUE).keys());
            }
            long total = 0;
            SortKey from = loKey;
            boolean inclusive = loInclusive;
            while (true) {
                SortKey start = from;
                boolean startInclusive = inclusive;
                BPlusTree.Count part = heap.transaction(
                        () -> tree.countRange(start, startInclusive, hiKey, hiInclusive, LEAVES_PER_COUNT));
                total += part.keys();
                if (part.resumeFrom() == null) {
                    return (int) Math.min(Integer.MAX_VALUE, total);
                }
                from = SortKey.of(part.resumeFrom());
                inclusive = true;
            }
        }

        @Override
        public boolean isEmpty() {
            return heap.transaction(() -> whole() ? tree.isEmpty() : !absLowest(new BPlusTree.Cursor()));
        }

        @Override
        public boolean containsKey(Object key) {
            SortKey k = probe(key);
            return inRange(key) && heap.transaction(() -> tree.get(k)) != ABSENT;
        }

        /** A scan of the values: weakly consistent outside a transaction, as iterations are. */
        @Override
        public boolean containsValue(Object value) {
            for (V v : values()) {
                if (Objects.equals(v, value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public V get(Object key) {
            return getOrDefault(key, null);
        }

        @Override
        public V getOrDefault(Object key, V defaultValue) {
            SortKey k = probe(key);
            if (!inRange(key)) {
                return defaultValue;
            }
            Object value = heap.transaction(() -> tree.get(k));
            return value == ABSENT ? defaultValue : cast(value);
        }

        @Override
        public V put(K key, V value) {
            SortKey k = storableKey(key);
            Storable.require(value, "value", PersistentSortedMap.this);
            requireInRange(key);
            Object old = heap.transaction(() -> tree.put(k, value));
            return old == ABSENT ? null : cast(old);
        }

        @Override
        public V remove(Object key) {
            SortKey k = probe(key);
            if (!inRange(key)) {
                return null;
            }
            Object old = heap.transaction(() -> tree.remove(k));
            return old == ABSENT ? null : cast(old);
        }

        @Override
        public void putAll(Map<? extends K, ? extends V> mappings) {
            heap.transaction(() -> mappings.forEach(this::put));
        }

        @Override
        public void clear() {
            heap.transaction(() -> {
                if (whole()) {
                    tree.clear();
                    return;
                }
                BPlusTree.Cursor c = new BPlusTree.Cursor();
                while (absLowest(c)) {
                    tree.remove(SortKey.of(tree.key(tree.entry(c))));
                }
            });
        }

        @Override
        public Heap heap() {
            return heap;
        }

        @Override
        public boolean equals(Object o) {
            return o == this || heap.transaction(() -> super.equals(o));
        }

        @Override
        public int hashCode() {
            return heap.transaction(() -> super.hashCode());
        }

        @Override
        public String toString() {
            return heap.transaction(() -> super.toString());
        }

        // ---- NavigableMap ----

        @Override
        public Comparator<? super K> comparator() {
            return descending ? Collections.reverseOrder() : null;
        }

        @Override
        public K firstKey() {
            return endKey(true);
        }

        @Override
        public K lastKey() {
            return endKey(false);
        }

        @Override
        public Map.Entry<K, V> firstEntry() {
            return endEntry(true, false);
        }

        @Override
        public Map.Entry<K, V> lastEntry() {
            return endEntry(false, false);
        }

        @Override
        public Map.Entry<K, V> pollFirstEntry() {
            return endEntry(true, true);
        }

        @Override
        public Map.Entry<K, V> pollLastEntry() {
            return endEntry(false, true);
        }

        @Override
        public Map.Entry<K, V> lowerEntry(K key) {
            return relativeEntry(LOWER, key);
        }

        @Override
        public K lowerKey(K key) {
            return relativeKey(LOWER, key);
        }

        @Override
        public Map.Entry<K, V> floorEntry(K key) {
            return relativeEntry(FLOOR, key);
        }

        @Override
        public K floorKey(K key) {
            return relativeKey(FLOOR, key);
        }

        @Override
        public Map.Entry<K, V> ceilingEntry(K key) {
            return relativeEntry(CEILING, key);
        }

        @Override
        public K ceilingKey(K key) {
            return relativeKey(CEILING, key);
        }

        @Override
        public Map.Entry<K, V> higherEntry(K key) {
            return relativeEntry(HIGHER, key);
        }

        @Override
        public K higherKey(K key) {
            return relativeKey(HIGHER, key);
        }

        @Override
        public View descendingMap() {
            return new View(fromStart, lo, loInclusive, toEnd, hi, hiInclusive, !descending);
        }

        @Override
        public NavigableSet<K> navigableKeySet() {
            return new KeySet(this);
        }

        @Override
        public NavigableSet<K> keySet() {
            return navigableKeySet();
        }

        @Override
        public NavigableSet<K> descendingKeySet() {
            return new KeySet(descendingMap());
        }

        @Override
        public Set<Map.Entry<K, V>> entrySet() {
            return new EntrySet();
        }

        @Override
        public Collection<V> values() {
            return new Values();
        }

        @Override
        public View subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
            probe(fromKey);
            probe(toKey);
            if (descending ? SortKey.compare(fromKey, toKey) < 0 : SortKey.compare(fromKey, toKey) > 0) {
                throw new IllegalArgumentException("fromKey=" + fromKey + " comes after toKey=" + toKey + " in this "
                        + (descending ? "descending" : "ascending") + " view of PersistentSortedMap at address=" + hotpot$address);
            }
            requireBound(fromKey, fromInclusive, "fromKey");
            requireBound(toKey, toInclusive, "toKey");
            return descending
                    ? new View(false, toKey, toInclusive, false, fromKey, fromInclusive, true)
                    : new View(false, fromKey, fromInclusive, false, toKey, toInclusive, false);
        }

        @Override
        public View headMap(K toKey, boolean inclusive) {
            probe(toKey);
            requireBound(toKey, inclusive, "toKey");
            return descending
                    ? new View(false, toKey, inclusive, toEnd, hi, hiInclusive, true)
                    : new View(fromStart, lo, loInclusive, false, toKey, inclusive, false);
        }

        @Override
        public View tailMap(K fromKey, boolean inclusive) {
            probe(fromKey);
            requireBound(fromKey, inclusive, "fromKey");
            return descending
                    ? new View(fromStart, lo, loInclusive, false, fromKey, inclusive, true)
                    : new View(false, fromKey, inclusive, toEnd, hi, hiInclusive, false);
        }

        @Override
        public SortedMap<K, V> subMap(K fromKey, K toKey) {
            return subMap(fromKey, true, toKey, false);
        }

        @Override
        public SortedMap<K, V> headMap(K toKey) {
            return headMap(toKey, false);
        }

        @Override
        public SortedMap<K, V> tailMap(K fromKey) {
            return tailMap(fromKey, true);
        }

        private void requireBound(K key, boolean inclusive, String role) {
            if (!inRange(key, inclusive)) {
                throw new IllegalArgumentException(role + "=" + key + " is out of the range of this view of"
                        + " PersistentSortedMap at address=" + hotpot$address);
            }
        }

        // ---- collections ----

        private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return new Scan<>(View.this, ENTRIES);
            }

            @Override
            public int size() {
                return View.this.size();
            }

            @Override
            public boolean isEmpty() {
                return View.this.isEmpty();
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof Map.Entry<?, ?> e && heap.transaction(() -> mappingOf(e) != null);
            }

            @Override
            public boolean remove(Object o) {
                return o instanceof Map.Entry<?, ?> e && heap.transaction(() -> {
                    SortKey key = mappingOf(e);
                    return key != null && tree.remove(key) != ABSENT;
                });
            }

            @Override
            public void clear() {
                View.this.clear();
            }

            @Override
            public boolean equals(Object o) {
                return o == this || heap.transaction(() -> super.equals(o));
            }

            @Override
            public int hashCode() {
                return heap.transaction(() -> super.hashCode());
            }

            @Override
            public String toString() {
                return heap.transaction(() -> super.toString());
            }

            /** The key of {@code e} if this view maps it to {@code e}'s value, else null; a foreign key is absent. */
            private SortKey mappingOf(Map.Entry<?, ?> e) {
                Object key = e.getKey();
                if (SortKey.kindOf(key) == 0) {
                    return null;
                }
                SortKey k = SortKey.of(key);
                long kind = tree.keyKind();
                if ((kind != 0 && kind != k.kind) || !inRange(key)) {
                    return null;
                }
                Object value = tree.get(k);
                return value != ABSENT && Objects.equals(value, e.getValue()) ? k : null;
            }
        }

        private final class Values extends AbstractCollection<V> {
            @Override
            public Iterator<V> iterator() {
                return new Scan<>(View.this, VALUES);
            }

            @Override
            public int size() {
                return View.this.size();
            }

            @Override
            public boolean isEmpty() {
                return View.this.isEmpty();
            }

            @Override
            public boolean contains(Object value) {
                return containsValue(value);
            }

            @Override
            public void clear() {
                View.this.clear();
            }

            @Override
            public String toString() {
                return heap.transaction(() -> super.toString());
            }
        }
    }

    /** The keys of a view, as {@code java.util.TreeMap}'s key sets are. */
    private final class KeySet extends AbstractSet<K> implements NavigableSet<K> {
        private final View map;

        KeySet(View map) {
            this.map = map;
        }

        @Override
        public Iterator<K> iterator() {
            return new Scan<>(map, KEYS);
        }

        @Override
        public Iterator<K> descendingIterator() {
            return new Scan<>(map.descendingMap(), KEYS);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public boolean contains(Object key) {
            return map.containsKey(key);
        }

        @Override
        public boolean remove(Object key) {
            return map.removeKey(key);
        }

        @Override
        public void clear() {
            map.clear();
        }

        @Override
        public Comparator<? super K> comparator() {
            return map.comparator();
        }

        @Override
        public K first() {
            return map.firstKey();
        }

        @Override
        public K last() {
            return map.lastKey();
        }

        @Override
        public K lower(K key) {
            return map.lowerKey(key);
        }

        @Override
        public K floor(K key) {
            return map.floorKey(key);
        }

        @Override
        public K ceiling(K key) {
            return map.ceilingKey(key);
        }

        @Override
        public K higher(K key) {
            return map.higherKey(key);
        }

        @Override
        public K pollFirst() {
            Map.Entry<K, V> entry = map.pollFirstEntry();
            return entry == null ? null : entry.getKey();
        }

        @Override
        public K pollLast() {
            Map.Entry<K, V> entry = map.pollLastEntry();
            return entry == null ? null : entry.getKey();
        }

        @Override
        public NavigableSet<K> descendingSet() {
            return new KeySet(map.descendingMap());
        }

        @Override
        public NavigableSet<K> subSet(K fromElement, boolean fromInclusive, K toElement, boolean toInclusive) {
            return new KeySet(map.subMap(fromElement, fromInclusive, toElement, toInclusive));
        }

        @Override
        public NavigableSet<K> headSet(K toElement, boolean inclusive) {
            return new KeySet(map.headMap(toElement, inclusive));
        }

        @Override
        public NavigableSet<K> tailSet(K fromElement, boolean inclusive) {
            return new KeySet(map.tailMap(fromElement, inclusive));
        }

        @Override
        public SortedSet<K> subSet(K fromElement, K toElement) {
            return subSet(fromElement, true, toElement, false);
        }

        @Override
        public SortedSet<K> headSet(K toElement) {
            return headSet(toElement, false);
        }

        @Override
        public SortedSet<K> tailSet(K fromElement) {
            return tailSet(fromElement, true);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || heap.transaction(() -> super.equals(o));
        }

        @Override
        public int hashCode() {
            return heap.transaction(() -> super.hashCode());
        }

        @Override
        public String toString() {
            return heap.transaction(() -> super.toString());
        }
    }

    /**
     * A weakly consistent iteration of a view. It holds a batch of entries read in one
     * transaction and the last key it returned; a batch is used only while no change was made
     * through this map since it was read and, if it was read inside a transaction, only until that
     * transaction ends. Otherwise the next batch starts after the last key returned, so a removed
     * or moved node is never followed. Batches grow from 8 to 32 entries, so a short scan reads
     * few keys and values it does not return (a string key is a blob, likely on a page of its own).
     * State changes only after a batch's transaction has committed, so a step re-run after a
     * conflict starts from the same state.
     */
    private final class Scan<T> implements Iterator<T> {
        private static final int FIRST_BATCH = 8;
        private static final int LARGEST_BATCH = 32;

        private final View view;
        private final int yield;
        private Batch batch;
        private int at;
        private int batchSize = FIRST_BATCH;
        private long readAtChanges;
        private boolean stale;
        private boolean watchingTransaction;
        private Object last = NONE;
        private Object removable = NONE;
        /** hasNext() said yes: next() returns the batch's current element even if the batch went stale since. */
        private boolean promised;

        /** @param yield what a step returns: {@link #KEYS}, {@link #VALUES} or {@link #ENTRIES} */
        Scan(View view, int yield) {
            this.view = view;
            this.yield = yield;
        }

        private boolean batchValid() {
            return batch != null && !stale && tree.changes() == readAtChanges;
        }

        @Override
        public boolean hasNext() {
            if (promised) {
                return true;
            }
            if (batchValid() && (at < batch.count() || batch.end())) {
                promised = at < batch.count();
                return promised;
            }
            long changes = tree.changes();
            boolean inTransaction = heap.inTransaction();
            Object after = last;
            int size = batchSize;
            batch = heap.transaction(() -> view.read(after, size, yield != KEYS));
            at = 0;
            readAtChanges = changes;
            stale = false;
            batchSize = Math.min(2 * batchSize, LARGEST_BATCH);
            if (inTransaction && !watchingTransaction) {
                watchingTransaction = true;
                heap.onFinish(() -> {
                    stale = true;
                    watchingTransaction = false;
                });
            }
            promised = at < batch.count();
            return promised;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the iteration of PersistentSortedMap at address=" + hotpot$address
                        + " is done");
            }
            promised = false;
            Object key = batch.keys()[at];
            Object value = batch.values() == null ? null : batch.values()[at];
            at++;
            last = key;
            removable = key;
            return cast(switch (yield) {
                case KEYS -> key;
                case VALUES -> value;
                default -> new IteratedEntry(cast(key), cast(value));
            });
        }

        @Override
        public void remove() {
            if (removable == NONE) {
                throw new IllegalStateException("remove() needs a preceding next() that it has not removed yet");
            }
            SortKey key = SortKey.of(removable);
            heap.transaction(() -> tree.remove(key));
            removable = NONE;
        }
    }

    /** An entry returned by an iterator: a snapshot whose {@code setValue} writes through to the map. */
    private final class IteratedEntry implements Map.Entry<K, V> {
        private final K key;
        private V value;

        IteratedEntry(K key, V value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        /**
         * @throws IllegalStateException    if the mapping was removed since
         * @throws IllegalArgumentException if the value is not storable; the map is then unchanged
         */
        @Override
        public V setValue(V newValue) {
            Storable.require(newValue, "value", PersistentSortedMap.this);
            SortKey k = SortKey.of(key);
            Object old = heap.transaction(() -> {
                if (tree.get(k) == ABSENT) {
                    throw new IllegalStateException("the mapping of key=" + key + " was removed from PersistentSortedMap"
                            + " at address=" + hotpot$address + " after the iterator returned it");
                }
                return tree.put(k, newValue);
            });
            value = newValue;
            return cast(old);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(value, e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }
}
