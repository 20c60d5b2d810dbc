package dev.hotpot.collections;

import java.util.Map;
import java.util.Objects;

import static dev.hotpot.collections.BPlusTree.ABSENT;
import static dev.hotpot.collections.Storable.cast;

/**
 * An entry returned by a {@link SortedMapIterator}: a snapshot of a mapping whose
 * {@code setValue} writes through to the map.
 *
 * <p>Invariants: the key never changes; the value is the one read by the iterator or last set
 * through this entry, not necessarily the map's current one.
 *
 * <p>Threading: not thread-safe, as the iterator that made it; {@code setValue} is a transaction of
 * its own or joins the caller's.
 */
final class SortedMapIteratedEntry<K, V> implements Map.Entry<K, V> {
    private final SortedMapView<K, V> view;
    private final K key;
    private V value;

    SortedMapIteratedEntry(SortedMapView<K, V> view, K key, V value) {
        this.view = view;
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
        Storable.require(newValue, "value", view.owner());
        SortKey k = SortKey.of(key);
        BPlusTree tree = view.tree();
        Object old = view.heap().transaction(() -> {
            Object replaced = tree.replace(k, newValue);
            if (replaced == ABSENT) {
                throw new IllegalStateException("the mapping of key=" + key + " was removed from PersistentSortedMap"
                        + " at address=" + view.owner().hotpot$address + " after the iterator returned it");
            }
            return replaced;
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
