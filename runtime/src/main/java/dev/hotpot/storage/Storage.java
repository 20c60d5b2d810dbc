package dev.hotpot.storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * How a heap creates, maps, renames and forces its files: every step of Hotpot's durability
 * protocol that the file system must keep across a power loss goes through here, and nothing else
 * of the heap writes to its folder. {@link FileStorage} is the real one. A test can supply one
 * that records what each force made durable and simulates a power cut
 * ({@code HeapConfig.Builder.storage}, or the {@code hotpot.storage} setting by class name).
 *
 * <p>What is durable after a power loss, the contract every caller relies on:
 * <ul>
 *   <li>bytes written through a {@link DurableMapping} once its {@code force} covering them returned,
 *       and the file's size with them (a force is an {@code msync}, which like {@code fdatasync}
 *       writes the metadata needed to read the data back, or a DAX write-back);
 *   <li>a file's whole content and size once {@link #forceFile} returned;
 *   <li>a directory's entries (names created, renamed or deleted in it) once {@link #forceDirectory}
 *       returned. Until then a rename may be kept or lost, and a new file may vanish.
 * </ul>
 * Anything not yet forced may be lost, kept, or kept in part (any subset of its pages).
 *
 * <p>Threading: implementations are safe from any thread.
 */
public interface Storage {
    /** Maps bytes {@code [0, size)} of an existing file for writes that {@link DurableMapping#force} makes durable. */
    DurableMapping mapDurable(Path file, long size, Arena arena) throws IOException;

    /** Maps up to {@code size} bytes of an existing file for reading (fewer if the file is shorter). */
    MemorySegment mapReadOnly(Path file, long size, Arena arena) throws IOException;

    /** Maps bytes {@code [0, size)} of an existing file copy-on-write: stores never reach the file. */
    MemorySegment mapPrivate(Path file, long size, Arena arena) throws IOException;

    /** Creates a new file of {@code size} zero bytes, sparse where the file system can; nothing is forced. */
    void createFile(Path file, long size) throws IOException;

    /** Creates a new file holding {@code bytes} and forces its content; its name needs {@link #forceDirectory}. */
    void writeFile(Path file, byte[] bytes) throws IOException;

    /** Makes the whole content and size of {@code file} durable. */
    void forceFile(Path file) throws IOException;

    /** Renames atomically; durable once both directories are forced. Callers rename only to free names. */
    void move(Path from, Path to) throws IOException;

    /** Deletes a file or an empty directory; durable once its directory is forced. */
    void delete(Path path) throws IOException;

    /** Creates {@code directory} and any missing parents; durable once each parent is forced. */
    void createDirectories(Path directory) throws IOException;

    /**
     * Makes the entries of {@code directory} durable. A file system that cannot sync a directory
     * (it refuses to open one for reading, or to force it) makes its entries as durable as it
     * makes them; any other failure, an I/O error among them, is thrown.
     */
    void forceDirectory(Path directory) throws IOException;
}
