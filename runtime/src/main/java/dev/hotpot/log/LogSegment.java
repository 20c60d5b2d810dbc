package dev.hotpot.log;

import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * One redo log file, mapped whole. Segment {@code i} holds log positions
 * {@code [i * size, (i + 1) * size)} and is named by {@code i} in 16 hex digits.
 *
 * <p>Threading: the mapping may be written by the appender, forced by the forcer and read by the
 * checkpointer concurrently on disjoint or immutable ranges; {@link #close} only after all stop.
 */
final class LogSegment implements AutoCloseable {
    static final String SUFFIX = ".log";
    private static final String SPARE_PREFIX = "spare-";
    /** Retired segment files kept for reuse, so new segments need no block allocation. */
    private static final int MAX_SPARES = 2;
    /** The suffix of a segment file being created, before its rename into place. */
    static final String TEMPORARY_SUFFIX = ".new";

    private final long index;
    private final Path file;
    private final Arena arena;
    private final MemorySegment memory;
    /** How this segment is forced; null for a segment mapped read-only. */
    private final DurableMapping durable;

    private LogSegment(long index, Path file, Arena arena, MemorySegment memory, DurableMapping durable) {
        this.index = index;
        this.file = file;
        this.arena = arena;
        this.memory = memory;
        this.durable = durable;
    }

    static String fileName(long index) {
        return HexFormat.of().toHexDigits(index) + SUFFIX;
    }

    /** The segment index a log file name stands for, or empty if it is not a segment file. */
    static OptionalLong indexOf(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != 16 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(HexFormat.fromHexDigitsToLong(name, 0, 16));
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Creates segment {@code index} for writing, reusing a spare file of its size when one exists
     * (spares of another size, left by an earlier segment size, are deleted). A reused file still
     * holds old records; their LSNs can never match a position of this segment.
     */
    static LogSegment create(Storage storage, Path dir, long index, long size) throws IOException {
        Path file = dir.resolve(fileName(index));
        Path spare = null;
        for (Path candidate : spares(dir)) {
            if (spare == null && Files.size(candidate) == size) {
                spare = candidate;
            } else if (Files.size(candidate) != size) {
                storage.delete(candidate);
            }
        }
        if (spare != null) {
            storage.move(spare, file);
        } else {
            createSparse(storage, dir, file, size);
        }
        // The segment's name must be durable before a force acknowledges a commit stored in it.
        storage.forceDirectory(dir);
        Arena arena = Arena.ofShared();
        try {
            DurableMapping mapping = storage.mapDurable(file, size, arena);
            return new LogSegment(index, file, arena, mapping.memory(), mapping);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static List<Path> spares(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(SPARE_PREFIX)).sorted().toList();
        }
    }

    /**
     * Creates the file sparse, under a temporary name renamed into place. Not zero-filled: on the
     * virtual disks measured, forces to pages written with zeros first were about 5x slower than
     * forces to sparse or recycled pages. A temporary left by a crash is replaced.
     */
    private static void createSparse(Storage storage, Path dir, Path file, long size) throws IOException {
        Path temporary = dir.resolve(file.getFileName() + TEMPORARY_SUFFIX);
        if (Files.exists(temporary)) {
            storage.delete(temporary);
        }
        storage.createFile(temporary, size);
        storage.move(temporary, file);
    }

    /** Maps an existing segment read-only, for recovery. */
    static LogSegment openForRead(Storage storage, Path file, long index, long size) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return new LogSegment(index, file, arena, storage.mapReadOnly(file, size, arena), null);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    long index() {
        return index;
    }

    Path file() {
        return file;
    }

    MemorySegment memory() {
        return memory;
    }

    /** Forces bytes {@code [from, to)} of this segment to stable storage. */
    void force(long from, long to) {
        if (to > from) {
            durable.force(from, to - from);
        }
    }

    /** Unmaps and keeps the file as a spare for a later segment, or deletes it if enough spares exist. */
    void retire(Storage storage) throws IOException {
        close();
        retireFile(storage, file, index);
    }

    static void retireFile(Storage storage, Path file, long index) throws IOException {
        Path dir = file.getParent();
        if (spares(dir).size() < MAX_SPARES) {
            storage.move(file, dir.resolve(SPARE_PREFIX + index + SUFFIX));
        } else {
            storage.delete(file);
        }
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
