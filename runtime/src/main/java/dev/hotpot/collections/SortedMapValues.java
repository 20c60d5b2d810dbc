package dev.hotpot.collections;

import java.util.AbstractCollection;
import java.util.Iterator;

/**
 * The values of a {@link SortedMapView}, in the view's key order, as {@code java.util.TreeMap}'s
 * {@code values()} are: live, with removal through the iterator and {@link #clear}.
 *
 * <p>Threading: safe from any thread, as the view; iterations are weakly consistent
 * ({@link SortedMapIterator}).
 */
final class SortedMapValues<K, V> extends AbstractCollection<V> {
    private final SortedMapView<K, V> view;

    SortedMapValues(SortedMapView<K, V> view) {
        this.view = view;
    }

    @Override
    public Iterator<V> iterator() {
        return new SortedMapIterator<>(view, SortedMapIterator.VALUES);
    }

    @Override
    public int size() {
        return view.size();
    }

    @Override
    public boolean isEmpty() {
        return view.isEmpty();
    }

    @Override
    public boolean contains(Object value) {
        return view.containsValue(value);
    }

    @Override
    public void clear() {
        view.clear();
    }

    @Override
    public String toString() {
        return view.heap().transaction(() -> super.toString());
    }
}
