package dev.hotpot.log;

import dev.hotpot.heap.HeapFile;
import dev.hotpot.heap.Mappings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
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

    private final long index;
    private final Path file;
    private final Arena arena;
    private final MemorySegment memory;

    private LogSegment(long index, Path file, Arena arena, MemorySegment memory) {
        this.index = index;
        this.file = file;
        this.arena = arena;
        this.memory = memory;
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
     * Creates segment {@code index} for writing, reusing a spare file when one exists. A reused file
     * still holds old records; their LSNs can never match a position of this segment.
     */
    static LogSegment create(Path dir, long index, long size) throws IOException {
        Path file = dir.resolve(fileName(index));
        Path spare;
        try (var spares = Files.list(dir)) {
            spare = spares.filter(p -> p.getFileName().toString().startsWith(SPARE_PREFIX)).findFirst().orElse(null);
        }
        if (spare != null && Files.size(spare) == size) {
            Files.move(spare, file, StandardCopyOption.ATOMIC_MOVE);
        } else {
            createSparse(dir, file, size);
        }
        // The segment's name must be durable before a force acknowledges a commit stored in it.
        HeapFile.forceDirectory(dir);
        return map(file, index, size, true);
    }

    /**
     * Creates the file sparse, under a temporary name renamed into place. Not zero-filled: on the
     * virtual disks measured, forces to pages written with zeros first were about 5x slower than
     * forces to sparse or recycled pages.
     */
    private static void createSparse(Path dir, Path file, long size) throws IOException {
        Path temporary = dir.resolve(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(1), size - 1);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Forces a segment file's bytes from the page cache to disk, however they were written. */
    static void forceFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(false);
        }
    }

    /** Maps an existing segment read-only, for recovery. */
    static LogSegment openForRead(Path file, long index, long size) throws IOException {
        return map(file, index, size, false);
    }

    private static LogSegment map(Path file, long index, long size, boolean write) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = write
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            if (write) {
                return new LogSegment(index, file, arena, Mappings.mapDurable(channel, 0, size, arena).segment());
            }
            long mapped = Math.min(size, channel.size());
            return new LogSegment(index, file, arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, mapped, arena));
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
            memory.asSlice(from, to - from).force();
        }
    }

    /** Unmaps and keeps the file as a spare for a later segment, or deletes it if enough spares exist. */
    void retire() throws IOException {
        close();
        retireFile(file, index);
    }

    static void retireFile(Path file, long index) throws IOException {
        Path dir = file.getParent();
        long spares;
        try (var files = Files.list(dir)) {
            spares = files.filter(p -> p.getFileName().toString().startsWith(SPARE_PREFIX)).count();
        }
        if (spares < MAX_SPARES) {
            Files.move(file, dir.resolve(SPARE_PREFIX + index + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(file);
        }
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
