package dev.hotpot.testing;

import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.FileStorage;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The real file system, except that one chosen operation fails, from the moment {@link #failing}
 * names it, with the given fault (an {@link IOException}, an {@link Error}, ...). Operations are
 * named by their {@link Storage} methods; {@code "force"} is a force of a durable mapping.
 *
 * <p>Threading: safe from any thread.
 */
public final class FaultyStorage implements Storage {
    private final Storage files = new FileStorage();
    private volatile String operation = "";
    private volatile Throwable fault;

    /** From now on, {@code operation} throws {@code fault}. */
    public void failing(String operation, Throwable fault) {
        this.fault = fault;
        this.operation = operation;
    }

    private void check(String name) throws IOException {
        if (!name.equals(operation)) {
            return;
        }
        switch (fault) {
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(fault);
        }
    }

    @Override
    public DurableMapping mapDurable(Path file, long size, Arena arena) throws IOException {
        check("mapDurable");
        return new InterceptedMapping(files.mapDurable(file, size, arena), (real, offset, length) -> {
            check("force");
            real.force(offset, length);
        });
    }

    @Override
    public MemorySegment mapReadOnly(Path file, long size, Arena arena) throws IOException {
        check("mapReadOnly");
        return files.mapReadOnly(file, size, arena);
    }

    @Override
    public MemorySegment mapPrivate(Path file, long size, Arena arena) throws IOException {
        check("mapPrivate");
        return files.mapPrivate(file, size, arena);
    }

    @Override
    public void createFile(Path file, long size) throws IOException {
        check("createFile");
        files.createFile(file, size);
    }

    @Override
    public void writeFile(Path file, byte[] bytes) throws IOException {
        check("writeFile");
        files.writeFile(file, bytes);
    }

    @Override
    public void forceFile(Path file) throws IOException {
        check("forceFile");
        files.forceFile(file);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        check("move");
        files.move(from, to);
    }

    @Override
    public void delete(Path path) throws IOException {
        check("delete");
        files.delete(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        check("createDirectories");
        files.createDirectories(directory);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        check("forceDirectory");
        files.forceDirectory(directory);
    }
}
