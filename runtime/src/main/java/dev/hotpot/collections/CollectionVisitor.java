package dev.hotpot.collections;

/**
 * Receives what a check of a collection's storage finds ({@link CollectionBlocks}): the blocks the
 * collection owns, its value slots, and the problems. The check reads a block or a slot's payload
 * only after the visitor said it may, so a damaged address is reported, never followed.
 *
 * <p>Threading: as the implementation says; a check calls it from its own thread.
 */
public interface CollectionVisitor {
    /** A visitor that trusts every address: for checks of a live heap whose blocks are known to be right. */
    CollectionVisitor TRUSTING = new CollectionVisitor() {
        @Override
        public boolean owned(long block, long bytes, String what) {
            return true;
        }

        @Override
        public boolean slot(long slot, String what) {
            return true;
        }

        @Override
        public void problem(long address, String what) {
            throw new IllegalStateException("address=" + address + ": " + what);
        }
    };

    /**
     * The collection owns the block whose payload starts at {@code block} and keeps {@code bytes}
     * bytes in it; returns whether the block is one (allocated, not owned by anything else, large
     * enough), so that the check may read it.
     */
    boolean owned(long block, long bytes, String what);

    /**
     * A value slot of the collection; returns whether its payload may be read as its kind says
     * (a string's blob is a valid blob that the slot owns, an object's address is an object).
     */
    boolean slot(long slot, String what);

    /** A broken invariant of the collection, at {@code address}. */
    void problem(long address, String what);

    /** A mapping of a map, found at {@code entry} with its key and value slots (after both were reported). */
    default void mapping(long entry, long keySlot, long valueSlot) {
    }
}
