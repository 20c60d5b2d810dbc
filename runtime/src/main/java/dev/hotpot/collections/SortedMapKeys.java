package dev.hotpot.collections;

/**
 * The key checks of a {@link PersistentSortedMap}: which keys a sorted map can look up and which
 * it can store. Each check runs before anything changes, and its exception names the map.
 *
 * <p>Threading: stateless; callable from any thread.
 */
final class SortedMapKeys {
    private SortedMapKeys() {
    }

    /**
     * {@code key} ready for a lookup in the map at address {@code map}.
     *
     * @throws NullPointerException if it is null
     * @throws ClassCastException   if no sorted map can hold it
     */
    static SortKey probe(Object key, long map) {
        if (SortKey.kindOf(key) == 0) {
            if (key == null) {
                throw nullKey(map);
            }
            throw new ClassCastException("a key of class=" + key.getClass().getName() + " cannot be compared with the keys"
                    + " of PersistentSortedMap at address=" + map + "; its keys are Strings or boxed primitives,"
                    + " all of one class");
        }
        return SortKey.of(key);
    }

    /**
     * {@code key} ready for a store in the map at address {@code map}.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if no sorted map can hold it
     */
    static SortKey storable(Object key, long map) {
        if (SortKey.kindOf(key) == 0) {
            if (key == null) {
                throw nullKey(map);
            }
            throw new IllegalArgumentException("cannot store a key of class=" + key.getClass().getName()
                    + " in PersistentSortedMap at address=" + map + "; its keys are Strings or boxed primitives"
                    + " (all of one class, in natural order); use a PersistentMap for other keys");
        }
        return SortKey.of(key);
    }

    private static NullPointerException nullKey(long map) {
        return new NullPointerException("PersistentSortedMap at address=" + map + " has no null keys");
    }
}
