package dev.hotpot.collections;

import dev.hotpot.heap.Heap;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.StringJoiner;

import static dev.hotpot.collections.BPlusTree.ABSENT;
import static dev.hotpot.collections.BPlusTree.CEILING;
import static dev.hotpot.collections.BPlusTree.FLOOR;
import static dev.hotpot.collections.BPlusTree.HIGHER;
import static dev.hotpot.collections.BPlusTree.LOWER;
import static dev.hotpot.collections.Storable.cast;

/**
 * A live view of a {@link PersistentSortedMap}: the map, or a {@link SortedMapRange} of it, in
 * ascending or descending order. The map itself is the ascending view without bounds; its
 * {@code headMap}, {@code tailMap}, {@code subMap} and {@code descendingMap} are further views.
 * Bounds and their checks follow {@code java.util.TreeMap}'s sub-maps ({@link SortedMapRange}).
 *
 * <p>Invariants: immutable; a view holds no entries, only a range and a direction, so it sees every
 * change to the map. A key outside the range is absent from the view and cannot be put into it.
 *
 * <p>Threading: safe from any thread; every operation is a transaction of its own or joins the
 * caller's, except that {@link #size} and {@link #containsValue} outside a transaction are
 * weakly consistent (a series of transactions), as iterations are.
 */
final class SortedMapView<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V>, TransactionalMap<K, V> {
    /** No key yet, or none found (keys and values are never this object). */
    static final Object NONE = new Object();
    /** Leaves a count outside a transaction reads per transaction. */
    private static final int LEAVES_PER_COUNT = 64;

    private final PersistentSortedMap<K, V> owner;
    private final Heap heap;
    private final BPlusTree tree;
    private final SortedMapRange<K> range;

    private SortedMapView(PersistentSortedMap<K, V> owner, Heap heap, BPlusTree tree, SortedMapRange<K> range) {
        this.owner = owner;
        this.heap = heap;
        this.tree = tree;
        this.range = range;
    }

    /** The whole of {@code owner}, whose storage is {@code tree}, in ascending order. */
    static <K, V> SortedMapView<K, V> of(PersistentSortedMap<K, V> owner, Heap heap, BPlusTree tree) {
        return new SortedMapView<>(owner, heap, tree, SortedMapRange.all(tree, owner.hotpot$address));
    }

    /** The view of {@code range} of the same map. */
    private SortedMapView<K, V> over(SortedMapRange<K> range) {
        return new SortedMapView<>(owner, heap, tree, range);
    }

    PersistentSortedMap<K, V> owner() {
        return owner;
    }

    BPlusTree tree() {
        return tree;
    }

    SortedMapRange<K> range() {
        return range;
    }

    // ---- navigation, each a transaction ----

    private Map.Entry<K, V> entryAt(BPlusTree.Cursor c) {
        long entry = tree.entry(c);
        return new SimpleImmutableEntry<>(cast(tree.key(entry)), cast(tree.value(entry)));
    }

    private Map.Entry<K, V> relativeEntry(int relation, Object key) {
        SortKey k = probe(key);
        return heap.transaction(() -> {
            BPlusTree.Cursor c = new BPlusTree.Cursor();
            return range.seek(relation, k, c) ? entryAt(c) : null;
        });
    }

    private K relativeKey(int relation, Object key) {
        SortKey k = probe(key);
        return heap.transaction(() -> {
            BPlusTree.Cursor c = new BPlusTree.Cursor();
            return range.seek(relation, k, c) ? cast(tree.key(tree.entry(c))) : null;
        });
    }

    private K endKey(boolean first) {
        Object key = heap.transaction(() -> {
            BPlusTree.Cursor c = new BPlusTree.Cursor();
            return (first ? range.first(c) : range.last(c)) ? tree.key(tree.entry(c)) : NONE;
        });
        if (key == NONE) {
            throw new NoSuchElementException("PersistentSortedMap at address=" + owner.hotpot$address
                    + (range.whole() ? " is empty" : ": this view of it is empty"));
        }
        return cast(key);
    }

    private Map.Entry<K, V> endEntry(boolean first, boolean poll) {
        return heap.transaction(() -> {
            BPlusTree.Cursor c = new BPlusTree.Cursor();
            if (!(first ? range.first(c) : range.last(c))) {
                return null;
            }
            Map.Entry<K, V> entry = entryAt(c);
            if (poll) {
                tree.remove(SortKey.of(entry.getKey()));
            }
            return entry;
        });
    }

    /** Whether the key was mapped; removes its mapping. */
    boolean removeKey(Object key) {
        SortKey k = probe(key);
        return range.inRange(key) && heap.transaction(() -> tree.remove(k)) != ABSENT;
    }

    private SortKey probe(Object key) {
        return SortedMapKeys.probe(key, owner.hotpot$address);
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
            return (int) Math.min(Integer.MAX_VALUE, range.count(null, Integer.MAX_VALUE).keys());
        }
        long total = 0;
        SortKey from = null;
        while (true) {
            SortKey start = from;
            BPlusTree.Count part = heap.transaction(() -> range.count(start, LEAVES_PER_COUNT));
            total += part.keys();
            if (part.resumeFrom() == null) {
                return (int) Math.min(Integer.MAX_VALUE, total);
            }
            from = SortKey.of(part.resumeFrom());
        }
    }

    @Override
    public boolean isEmpty() {
        return heap.transaction(() -> range.whole() ? tree.isEmpty() : !range.lowest(new BPlusTree.Cursor()));
    }

    @Override
    public boolean containsKey(Object key) {
        SortKey k = probe(key);
        return range.inRange(key) && heap.transaction(() -> tree.get(k)) != ABSENT;
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
        if (!range.inRange(key)) {
            return defaultValue;
        }
        Object value = heap.transaction(() -> tree.get(k));
        return value == ABSENT ? defaultValue : cast(value);
    }

    @Override
    public V put(K key, V value) {
        SortKey k = SortedMapKeys.storable(key, owner.hotpot$address);
        Storable.require(value, "value", owner);
        if (!range.inRange(key)) {
            throw new IllegalArgumentException("key=" + key + " is out of the range of this view of PersistentSortedMap"
                    + " at address=" + owner.hotpot$address);
        }
        Object old = heap.transaction(() -> tree.put(k, value));
        return old == ABSENT ? null : cast(old);
    }

    @Override
    public V remove(Object key) {
        SortKey k = probe(key);
        if (!range.inRange(key)) {
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
            if (range.whole()) {
                tree.clear();
                return;
            }
            BPlusTree.Cursor c = new BPlusTree.Cursor();
            while (range.lowest(c)) {
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

    /** As {@code AbstractMap}'s, except that the map found among its own keys or values is "(this Map)", not a recursion. */
    @Override
    public String toString() {
        return heap.transaction(() -> {
            StringJoiner text = new StringJoiner(", ", "{", "}");
            for (Map.Entry<K, V> entry : entrySet()) {
                text.add(describe(entry.getKey()) + "=" + describe(entry.getValue()));
            }
            return text.toString();
        });
    }

    private String describe(Object keyOrValue) {
        return keyOrValue == owner() || keyOrValue == this ? "(this Map)" : String.valueOf(keyOrValue);
    }

    @Override
    public NavigableSet<K> keySet() {
        return navigableKeySet();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new SortedMapEntrySet<>(this);
    }

    @Override
    public Collection<V> values() {
        return new SortedMapValues<>(this);
    }

    // ---- NavigableMap ----

    @Override
    public Comparator<? super K> comparator() {
        return range.descending ? Collections.reverseOrder() : null;
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
    public SortedMapView<K, V> descendingMap() {
        return over(range.reversed());
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return new SortedMapKeySet<>(this);
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return new SortedMapKeySet<>(descendingMap());
    }

    @Override
    public SortedMapView<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return over(range.sub(fromKey, fromInclusive, toKey, toInclusive));
    }

    @Override
    public SortedMapView<K, V> headMap(K toKey, boolean inclusive) {
        return over(range.head(toKey, inclusive));
    }

    @Override
    public SortedMapView<K, V> tailMap(K fromKey, boolean inclusive) {
        return over(range.tail(fromKey, inclusive));
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
}
