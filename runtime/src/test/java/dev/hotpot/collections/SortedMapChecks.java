package dev.hotpot.collections;

/**
 * Test access to a {@link PersistentSortedMap}'s structural check from other test packages (the
 * crash tests' child JVMs).
 */
public final class SortedMapChecks {
    private SortedMapChecks() {
    }

    /**
     * Checks the tree's invariants in one transaction.
     *
     * @return its shape, as {@code depth=.. leaves=.. innerNodes=.. entries=..}
     * @throws IllegalStateException naming the first violation
     */
    public static String checkInvariants(PersistentSortedMap<?, ?> map) {
        BPlusTree.Shape shape = map.checkInvariants();
        return "depth=" + shape.depth() + " leaves=" + shape.leaves() + " innerNodes=" + shape.innerNodes()
                + " entries=" + shape.entries();
    }
}
