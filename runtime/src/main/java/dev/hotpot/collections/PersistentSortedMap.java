package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.OwnsBlocks;
import dev.hotpot.object.PersistentObject;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;

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
    static final ClassLayout LAYOUT = BPlusTree.layout(BuiltIns.storedName(PersistentSortedMap.class));

    private final Heap heap = ObjectRuntime.heap();
    private final BPlusTree tree = new BPlusTree(heap, hotpot$address);
    /** The map as the ascending view without bounds, which implements the map's operations. */
    private final SortedMapView<K, V> all = SortedMapView.of(this, heap, tree);

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
    PersistentSortedMap(Materializer token, long address) {
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
}
