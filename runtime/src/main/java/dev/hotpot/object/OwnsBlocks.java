package dev.hotpot.object;

/** A persistent object that owns heap blocks besides its own (a collection's table, its strings). */
public interface OwnsBlocks {
    /** Frees every block this object owns, in the calling transaction; called when the object is freed. */
    void freeOwnedBlocks();
}
