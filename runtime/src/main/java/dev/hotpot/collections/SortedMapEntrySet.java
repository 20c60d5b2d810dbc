package dev.hotpot.collections;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

import static dev.hotpot.collections.BPlusTree.ABSENT;

/**
 * The entries of a {@link SortedMapView}, in the view's order, as {@code java.util.TreeMap}'s
 * entry sets are: live, with {@code contains} and {@code remove} of a mapping (key and value).
 * Entries are immutable snapshots, except that an iterator's entry writes {@code setValue} through.
 *
 * <p>Threading: safe from any thread; each operation is a transaction of its own or joins the
 * caller's; iterations are weakly consistent ({@link SortedMapIterator}).
 */
final class SortedMapEntrySet<K, V> extends AbstractSet<Map.Entry<K, V>> {
    private final SortedMapView<K, V> view;

    SortedMapEntrySet(SortedMapView<K, V> view) {
        this.view = view;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new SortedMapIterator<>(view, SortedMapIterator.ENTRIES);
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
    public boolean contains(Object o) {
        return o instanceof Map.Entry<?, ?> e && view.heap().transaction(() -> mappingOf(e) != null);
    }

    @Override
    public boolean remove(Object o) {
        return o instanceof Map.Entry<?, ?> e && view.heap().transaction(() -> {
            SortKey key = mappingOf(e);
            return key != null && view.tree().remove(key) != ABSENT;
        });
    }

    @Override
    public void clear() {
        view.clear();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || view.heap().transaction(() -> super.equals(o));
    }

    @Override
    public int hashCode() {
        return view.heap().transaction(() -> super.hashCode());
    }

    @Override
    public String toString() {
        return view.heap().transaction(() -> super.toString());
    }

    /** The key of {@code e} if this view maps it to {@code e}'s value, else null; a foreign key is absent. */
    private SortKey mappingOf(Map.Entry<?, ?> e) {
        Object key = e.getKey();
        if (SortKey.kindOf(key) == 0) {
            return null;
        }
        SortKey k = SortKey.of(key);
        BPlusTree tree = view.tree();
        long kind = tree.keyKind();
        if ((kind != 0 && kind != k.kind) || !view.range().inRange(key)) {
            return null;
        }
        Object value = tree.get(k);
        return value != ABSENT && Objects.equals(value, e.getValue()) ? k : null;
    }
}
