package dev.hotpot.heap;

import jdk.nio.mapmode.ExtendedMapMode;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;

/**
 * Maps files for durable writes. Where the file system supports DAX, the mapping uses
 * {@link ExtendedMapMode#READ_WRITE_SYNC} (JEP 352) and {@code force()} is a cache-line write-back;
 * elsewhere it is a shared mapping and {@code force()} is {@code msync}.
 */
public final class Mappings {
    /** How forced writes of a mapping reach stable storage. */
    public enum PersistenceMode {
        DAX("persistent memory (DAX, cache-line write-back)"),
        MSYNC("page cache (msync)");

        private final String description;

        PersistenceMode(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A durable mapping and how it persists. */
    public record Durable(MemorySegment segment, PersistenceMode mode) {
    }

    private Mappings() {
    }

    public static Durable mapDurable(FileChannel channel, long offset, long size, Arena arena) throws IOException {
        try {
            return new Durable(channel.map(ExtendedMapMode.READ_WRITE_SYNC, offset, size, arena), PersistenceMode.DAX);
        } catch (IOException | UnsupportedOperationException notDax) {
            // Not a DAX file system: MAP_SYNC is refused with EOPNOTSUPP, which is the common case.
            return new Durable(channel.map(FileChannel.MapMode.READ_WRITE, offset, size, arena), PersistenceMode.MSYNC);
        }
    }
}
