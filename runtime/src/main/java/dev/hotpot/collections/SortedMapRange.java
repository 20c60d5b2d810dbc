package dev.hotpot.collections;

import static dev.hotpot.collections.BPlusTree.CEILING;
import static dev.hotpot.collections.BPlusTree.FLOOR;
import static dev.hotpot.collections.BPlusTree.HIGHER;
import static dev.hotpot.collections.BPlusTree.LOWER;

/**
 * The keys of a {@link SortedMapView} and their order: its bounds, as {@code java.util.TreeMap}'s
 * sub-maps have them and check them, its direction, and the entries of the tree they admit.
 * {@link #first}, {@link #last}, {@link #seek} and {@link #pastLast} are in the view's order;
 * {@link #lowest}, {@link #count} and the private positions ({@code highest}, {@code aboveHigh},
 * ...) are in ascending key order whatever the direction.
 *
 * <p>Invariants: immutable. An unbounded side ({@code fromStart}, {@code toEnd}) has no key; a
 * bounded side's key is one a sorted map can hold, with its {@link SortKey} made once, and
 * {@code lo <= hi} when both sides are bounded. A range derived by {@link #sub}, {@link #head} or
 * {@link #tail} lies within this one.
 *
 * <p>Threading: safe from any thread; the methods that take a cursor or an entry read the tree
 * and must run inside a transaction of its heap.
 */
final class SortedMapRange<K> {
    /** Whether the keys are in descending order. */
    final boolean descending;

    private final boolean fromStart;
    private final Object lo;
    private final boolean loInclusive;
    private final boolean toEnd;
    private final Object hi;
    private final boolean hiInclusive;
    /** {@code lo} ready for the tree; null when {@code fromStart}. */
    private final SortKey loKey;
    /** {@code hi} ready for the tree; null when {@code toEnd}. */
    private final SortKey hiKey;
    private final BPlusTree tree;
    private final long map;

    /**
     * The callers have checked the bounds: {@code loKey <= hiKey} when both are given.
     *
     * @param map   the map's address, for messages
     * @param loKey the low bound, null for none
     * @param hiKey the high bound, null for none
     */
    private SortedMapRange(BPlusTree tree, long map, SortKey loKey, boolean loInclusive, SortKey hiKey,
                           boolean hiInclusive, boolean descending) {
        this.loKey = loKey;
        this.hiKey = hiKey;
        this.tree = tree;
        this.map = map;
        this.fromStart = loKey == null;
        this.lo = loKey == null ? null : loKey.key;
        this.loInclusive = loInclusive;
        this.toEnd = hiKey == null;
        this.hi = hiKey == null ? null : hiKey.key;
        this.hiInclusive = hiInclusive;
        this.descending = descending;
    }

    /** Every key of the map at address {@code map}, ascending. */
    static <K> SortedMapRange<K> all(BPlusTree tree, long map) {
        return new SortedMapRange<>(tree, map, null, true, null, true, false);
    }

    // ---- narrower ranges ------------------------------------------------------------------------

    /** The same keys in the other order. */
    SortedMapRange<K> reversed() {
        return new SortedMapRange<>(tree, map, loKey, loInclusive, hiKey, hiInclusive, !descending);
    }

    /** The keys from {@code fromKey} to {@code toKey} in this range's order, as {@code NavigableMap.subMap}. */
    SortedMapRange<K> sub(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        SortKey from = SortedMapKeys.probe(fromKey, map);
        SortKey to = SortedMapKeys.probe(toKey, map);
        if (descending ? SortKey.compare(fromKey, toKey) < 0 : SortKey.compare(fromKey, toKey) > 0) {
            throw new IllegalArgumentException("fromKey=" + fromKey + " comes after toKey=" + toKey + " in this "
                    + (descending ? "descending" : "ascending") + " view of PersistentSortedMap at address=" + map);
        }
        requireBound(fromKey, fromInclusive, "fromKey");
        requireBound(toKey, toInclusive, "toKey");
        return descending
                ? new SortedMapRange<>(tree, map, to, toInclusive, from, fromInclusive, true)
                : new SortedMapRange<>(tree, map, from, fromInclusive, to, toInclusive, false);
    }

    /**
     * The keys before {@code toKey} (or up to it, when {@code inclusive}) in this range's order,
     * as {@code NavigableMap.headMap}.
     */
    SortedMapRange<K> head(K toKey, boolean inclusive) {
        return bounded(toKey, inclusive, "toKey", !descending);
    }

    /**
     * The keys after {@code fromKey} (or from it, when {@code inclusive}) in this range's order,
     * as {@code NavigableMap.tailMap}.
     */
    SortedMapRange<K> tail(K fromKey, boolean inclusive) {
        return bounded(fromKey, inclusive, "fromKey", descending);
    }

    /** This range with its {@code high} (else low) side bounded by {@code key}, which must lie within it. */
    private SortedMapRange<K> bounded(K key, boolean inclusive, String role, boolean high) {
        SortKey bound = SortedMapKeys.probe(key, map);
        requireBound(key, inclusive, role);
        return high
                ? new SortedMapRange<>(tree, map, loKey, loInclusive, bound, inclusive, descending)
                : new SortedMapRange<>(tree, map, bound, inclusive, hiKey, hiInclusive, descending);
    }

    private void requireBound(K key, boolean inclusive, String role) {
        if (!(inclusive ? inRange(key) : inClosedRange(key))) {
            throw new IllegalArgumentException(role + "=" + key + " is out of the range of this view of"
                    + " PersistentSortedMap at address=" + map);
        }
    }

    // ---- checks on keys -------------------------------------------------------------------------

    /** Whether the range is unbounded: every key of the map. */
    boolean whole() {
        return fromStart && toEnd;
    }

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

    boolean inRange(Object key) {
        return !tooLow(key) && !tooHigh(key);
    }

    /** Whether {@code key} is within the bounds or on an excluded one: it may bound an exclusive sub-range. */
    private boolean inClosedRange(Object key) {
        return (fromStart || SortKey.compare(key, lo) >= 0) && (toEnd || SortKey.compare(hi, key) >= 0);
    }

    // ---- ascending positions, in a transaction -------------------------------------------------

    private boolean aboveHigh(long entry) {
        return !toEnd && !tree.below(entry, hiKey, hiInclusive);
    }

    private boolean belowLow(long entry) {
        return !fromStart && !tree.above(entry, loKey, loInclusive);
    }

    /** Places the cursor on the smallest key in the range, whatever its order; false if there is none. */
    boolean lowest(BPlusTree.Cursor c) {
        boolean found = fromStart ? tree.first(c) : tree.seek(loKey, loInclusive ? CEILING : HIGHER, c);
        return found && !aboveHigh(tree.entry(c));
    }

    /** Places the cursor on the greatest key in the range; false if there is none. */
    private boolean highest(BPlusTree.Cursor c) {
        boolean found = toEnd ? tree.last(c) : tree.seek(hiKey, hiInclusive ? FLOOR : LOWER, c);
        return found && !belowLow(tree.entry(c));
    }

    /** Places the cursor on the entry in ascending {@code relation} to {@code key}, within the range. */
    private boolean absoluteSeek(int relation, SortKey key, BPlusTree.Cursor c) {
        if (relation == CEILING || relation == HIGHER) {
            if (tooLow(key.key)) {
                return lowest(c);
            }
            return tree.seek(key, relation, c) && !aboveHigh(tree.entry(c));
        }
        if (tooHigh(key.key)) {
            return highest(c);
        }
        return tree.seek(key, relation, c) && !belowLow(tree.entry(c));
    }

    // ---- positions in the view's order, in a transaction ----------------------------------------

    /** Places the cursor on the first entry in this range's order; false if there is none. */
    boolean first(BPlusTree.Cursor c) {
        return descending ? highest(c) : lowest(c);
    }

    /** Places the cursor on the last entry in this range's order; false if there is none. */
    boolean last(BPlusTree.Cursor c) {
        return descending ? lowest(c) : highest(c);
    }

    /**
     * Places the cursor on the entry in {@code relation} to {@code key} in this range's order
     * (lower and higher swap when descending), within the range.
     */
    boolean seek(int relation, SortKey key, BPlusTree.Cursor c) {
        return absoluteSeek(descending ? HIGHER - relation : relation, key, c);
    }

    /**
     * Counts the keys of the range from {@code from} on (inclusive; null: from the range's start)
     * in at most {@code maxLeaves} leaves: see {@link BPlusTree#countRange}.
     */
    BPlusTree.Count count(SortKey from, int maxLeaves) {
        return from == null
                ? tree.countRange(loKey, loInclusive, hiKey, hiInclusive, maxLeaves)
                : tree.countRange(from, true, hiKey, hiInclusive, maxLeaves);
    }

    /** Whether the entry lies past the last one of the range in its order. */
    boolean pastLast(long entry) {
        return descending ? belowLow(entry) : aboveHigh(entry);
    }
}
