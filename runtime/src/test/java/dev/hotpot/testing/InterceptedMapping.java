package dev.hotpot.testing;

import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.PersistenceMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;

/**
 * A real mapping whose forces go through a test's {@link Force}, which decides when to call the
 * real one and what to do around it (fail, record). An {@link IOException} it throws reaches the
 * caller as an {@link UncheckedIOException}, as a failed force does.
 *
 * <p>Threading: as the real mapping and the interceptor.
 */
record InterceptedMapping(DurableMapping real, Force interceptor) implements DurableMapping {
    /** A force of {@code [offset, offset + length)} of {@code real}. */
    @FunctionalInterface
    interface Force {
        void force(DurableMapping real, long offset, long length) throws IOException;
    }

    @Override
    public MemorySegment memory() {
        return real.memory();
    }

    @Override
    public PersistenceMode mode() {
        return real.mode();
    }

    @Override
    public void force(long offset, long length) {
        try {
            interceptor.force(real, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
