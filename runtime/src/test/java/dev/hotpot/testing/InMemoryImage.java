package dev.hotpot.testing;

import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.PersistenceMode;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable mapping held in memory, for replaying records into an image a test inspects: a force
 * writes nothing and is only recorded, as {@code {offset, length}}, in {@link #forced()}.
 *
 * <p>Threading: not thread-safe.
 */
public record InMemoryImage(MemorySegment memory, PersistenceMode mode, List<long[]> forced) implements DurableMapping {
    /** An image of {@code memory} that forces as msync would. */
    public InMemoryImage(MemorySegment memory) {
        this(memory, PersistenceMode.MSYNC, new ArrayList<>());
    }

    @Override
    public void force(long offset, long length) {
        forced.add(new long[]{offset, length});
    }
}
