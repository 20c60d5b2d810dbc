package dev.hotpot.storage;

import java.lang.foreign.MemorySegment;

/**
 * A file mapped for durable writes: stores go to {@link #memory()}, and {@link #force} makes a
 * range of them durable.
 *
 * <p>Threading: safe from any thread; forces of disjoint or unchanging ranges may overlap.
 */
public interface DurableMapping {
    MemorySegment memory();

    /** How a force reaches stable storage on this mapping. */
    PersistenceMode mode();

    /** Makes bytes {@code [offset, offset + length)} of the mapping durable. */
    void force(long offset, long length);
}
