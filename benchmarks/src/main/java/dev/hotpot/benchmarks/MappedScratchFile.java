package dev.hotpot.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The baselines' raw persistence: a file written with zeros (so its blocks are allocated, as a
 * database file's would be) and mapped shared, whose pages are stored into and then forced with
 * {@link MemorySegment#force()}, which is {@code msync}. No log, no locks, no checksums.
 *
 * <p>Threading: the mapping may be written and forced from any thread on disjoint ranges; close it
 * only after every user stopped.
 */
public final class MappedScratchFile implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment memory;

    private MappedScratchFile(Arena arena, MemorySegment memory) {
        this.arena = arena;
        this.memory = memory;
    }

    public static MappedScratchFile create(Path file, int bytes) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(bytes);
            while (zeros.hasRemaining()) {
                channel.write(zeros, zeros.position());
            }
            channel.force(true);
            return new MappedScratchFile(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena));
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot create mapped baseline file=" + file + " bytes=" + bytes, e);
        }
    }

    public MemorySegment memory() {
        return memory;
    }

    @Override
    public void close() {
        arena.close();
    }
}
