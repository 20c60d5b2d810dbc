package dev.hotpot.storage;

import jdk.nio.mapmode.ExtendedMapMode;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file system itself. Where it supports DAX, a durable mapping uses
 * {@link ExtendedMapMode#READ_WRITE_SYNC} (JEP 352) and a force is a cache-line write-back;
 * elsewhere it is a shared mapping and a force is {@code msync}.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class FileStorage implements Storage {
    /** The errno texts of a directory sync the file system does not offer (EINVAL, ENOTSUP). */
    private static final String[] UNSUPPORTED_SYNC = {"Invalid argument", "not supported"};
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    @Override
    public DurableMapping mapDurable(Path file, long size, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                return new Mapped(channel.map(ExtendedMapMode.READ_WRITE_SYNC, 0, size, arena), PersistenceMode.DAX);
            } catch (IOException | UnsupportedOperationException notDax) {
                // Not a DAX file system: MAP_SYNC is refused with EOPNOTSUPP, which is the common case.
                return new Mapped(channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), PersistenceMode.MSYNC);
            }
        }
    }

    @Override
    public MemorySegment mapReadOnly(Path file, long size, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, channel.size()), arena);
        }
    }

    @Override
    public MemorySegment mapPrivate(Path file, long size, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.PRIVATE, 0, size, arena);
        }
    }

    @Override
    public void createFile(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (size > 0) {
                channel.write(ByteBuffer.allocate(1), size - 1);
            }
        }
    }

    @Override
    public void writeFile(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    @Override
    public void forceFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException cannotOpen) {
            if (WINDOWS && Files.isDirectory(directory)) {
                return; // Windows cannot open a directory as a file, and makes its entries durable itself.
            }
            throw cannotOpen;
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            if (!isUnsupportedSync(e)) {
                throw new IOException("cannot sync directory=" + directory + ": " + e.getMessage(), e);
            }
        }
    }

    static boolean isUnsupportedSync(IOException e) {
        String message = String.valueOf(e.getMessage());
        for (String unsupported : UNSUPPORTED_SYNC) {
            if (message.contains(unsupported)) {
                return true;
            }
        }
        return false;
    }

    /** A mapping of the real file; a force is the segment's own. */
    private record Mapped(MemorySegment memory, PersistenceMode mode) implements DurableMapping {
        @Override
        public void force(long offset, long length) {
            if (length > 0) {
                memory.asSlice(offset, length).force();
            }
        }
    }
}
