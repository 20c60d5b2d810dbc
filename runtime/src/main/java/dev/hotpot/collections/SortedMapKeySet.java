package dev.hotpot.collections;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedSet;

/**
 * The keys of a {@link SortedMapView}, as {@code java.util.TreeMap}'s key sets are: a live
 * {@code NavigableSet} in the view's order, whose sub-sets and descending set are the key sets of
 * the matching views. Removing a key removes its mapping; there is no adding.
 *
 * <p>Threading: safe from any thread, as the view; iterations are weakly consistent
 * ({@link SortedMapIterator}).
 */
final class SortedMapKeySet<K, V> extends AbstractSet<K> implements NavigableSet<K> {
    private final SortedMapView<K, V> map;

    SortedMapKeySet(SortedMapView<K, V> map) {
        this.map = map;
    }

    @Override
    public Iterator<K> iterator() {
        return new SortedMapIterator<>(map, SortedMapIterator.KEYS);
    }

    @Override
    public Iterator<K> descendingIterator() {
        return new SortedMapIterator<>(map.descendingMap(), SortedMapIterator.KEYS);
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
        return new SortedMapKeySet<>(map.descendingMap());
    }

    @Override
    public NavigableSet<K> subSet(K fromElement, boolean fromInclusive, K toElement, boolean toInclusive) {
        return new SortedMapKeySet<>(map.subMap(fromElement, fromInclusive, toElement, toInclusive));
    }

    @Override
    public NavigableSet<K> headSet(K toElement, boolean inclusive) {
        return new SortedMapKeySet<>(map.headMap(toElement, inclusive));
    }

    @Override
    public NavigableSet<K> tailSet(K fromElement, boolean inclusive) {
        return new SortedMapKeySet<>(map.tailMap(fromElement, inclusive));
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
        return o == this || map.heap().transaction(() -> super.equals(o));
    }

    @Override
    public int hashCode() {
        return map.heap().transaction(() -> super.hashCode());
    }

    @Override
    public String toString() {
        return map.heap().transaction(() -> super.toString());
    }
}
