package dev.hotpot.testing;

import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.FileStorage;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real file system, plus a record of what a power cut would leave of it: each force copies
 * the bytes it made durable into a shadow file and notes it in a journal, each directory sync notes
 * the directory's entries. {@link PowerCut#materialize} later rebuilds the tracked folder from the
 * journal alone, as the disk would hold it after the power went out at the moment the process
 * stopped. Optionally halts the JVM right after its k-th force ({@link #HALT_AFTER}), for sweeps
 * over every force of a run.
 *
 * <p>Files are told apart by inode and a creation count (an inode freed and reused is a new file).
 * Everything under the tracked folder when this storage starts counts as durable.
 *
 * <p>Configured by system properties, so that a child JVM names it with {@code hotpot.storage}:
 * {@link #ROOT} (the folder tracked, the heaps' parent), {@link #JOURNAL} (a folder outside it for
 * the journal and shadows) and {@link #HALT_AFTER}.
 *
 * <p>Threading: safe from any thread. Changes to directories and their syncs take turns, so a
 * sync notes the entries as they stood at one moment; journal entries are in the order their
 * operations completed.
 */
public final class PowerCutStorage implements Storage {
    public static final String ROOT = "hotpot.test.powercut.root";
    public static final String JOURNAL = "hotpot.test.powercut.journal";
    public static final String HALT_AFTER = "hotpot.test.powercut.haltAfterForces";
    /** The exit status of a JVM this storage halted. */
    public static final int HALTED = 86;
    static final String JOURNAL_FILE = "journal.txt";
    static final String SHADOWS = "shadows";

    private final Storage files = new FileStorage();
    private final Path shadows;
    private final FileChannel journal;
    private final long haltAfter;
    /** Guarded by this: the file id of each live inode, and how many files each inode has been. */
    private final Map<Long, String> ids = new HashMap<>();
    private final Map<Long, Integer> generations = new HashMap<>();
    private long forces;

    public PowerCutStorage() throws IOException {
        this(Path.of(System.getProperty(ROOT)), Path.of(System.getProperty(JOURNAL)),
                Long.getLong(HALT_AFTER, 0));
    }

    /** Tracks {@code root}, everything in it taken as durable, with journal and shadows in {@code journalDir}. */
    public PowerCutStorage(Path root, Path journalDir, long haltAfter) throws IOException {
        this.shadows = Files.createDirectories(journalDir.resolve(SHADOWS));
        this.journal = FileChannel.open(journalDir.resolve(JOURNAL_FILE), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.haltAfter = haltAfter;
        Files.createDirectories(root);
        synchronized (this) {
            note("root " + register(root));
            try (Stream<Path> tree = Files.walk(root)) {
                for (Path path : (Iterable<Path>) tree::iterator) {
                    if (Files.isDirectory(path)) {
                        noteListing(path);
                    } else {
                        copyWhole(path);
                    }
                }
            }
        }
    }

    /** Forces made so far: mapping forces, file forces, written files and directory syncs. */
    public synchronized long forces() {
        return forces;
    }

    @Override
    public DurableMapping mapDurable(Path file, long size, Arena arena) throws IOException {
        DurableMapping real = files.mapDurable(file, size, arena);
        String id = idOf(file);
        return new InterceptedMapping(real, (mapping, offset, length) -> {
            mapping.force(offset, length);
            forced(id, file, mapping.memory(), offset, length);
        });
    }

    @Override
    public MemorySegment mapReadOnly(Path file, long size, Arena arena) throws IOException {
        return files.mapReadOnly(file, size, arena);
    }

    @Override
    public MemorySegment mapPrivate(Path file, long size, Arena arena) throws IOException {
        return files.mapPrivate(file, size, arena);
    }

    @Override
    public synchronized void createFile(Path file, long size) throws IOException {
        files.createFile(file, size);
        register(file);
    }

    @Override
    public synchronized void writeFile(Path file, byte[] bytes) throws IOException {
        files.writeFile(file, bytes);
        register(file);
        copyWhole(file);
        countForce();
    }

    @Override
    public void forceFile(Path file) throws IOException {
        files.forceFile(file);
        synchronized (this) {
            copyWhole(file);
            countForce();
        }
    }

    @Override
    public synchronized void move(Path from, Path to) throws IOException {
        files.move(from, to);
    }

    @Override
    public synchronized void delete(Path path) throws IOException {
        long inode = inode(path);
        files.delete(path);
        ids.remove(inode);
    }

    @Override
    public synchronized void createDirectories(Path directory) throws IOException {
        files.createDirectories(directory);
        for (Path p = directory; p != null && !ids.containsKey(inode(p)); p = p.getParent()) {
            register(p);
        }
    }

    @Override
    public synchronized void forceDirectory(Path directory) throws IOException {
        files.forceDirectory(directory);
        noteListing(directory);
        countForce();
    }

    private void forced(String id, Path file, MemorySegment memory, long offset, long length) throws IOException {
        synchronized (this) {
            if (length > 0) {
                try (FileChannel shadow = FileChannel.open(shadows.resolve(id), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    writeFully(shadow, memory.asSlice(offset, length).asByteBuffer(), offset);
                }
            }
            note("force " + id + " " + offset + " " + length + " " + Files.size(file));
            countForce();
        }
    }

    /** Caller holds this. Copies the file's whole content to its shadow: all of it is now durable. */
    private void copyWhole(Path file) throws IOException {
        String id = idOf(file);
        // Copied aside and renamed over the shadow, so a kill during the copy leaves the old shadow whole.
        Path copy = shadows.resolve(id + ".copy");
        Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(copy, shadows.resolve(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(file);
        note("force " + id + " 0 " + size + " " + size);
    }

    /** Caller holds this. Notes the entries of {@code directory} as the durable ones. */
    private void noteListing(Path directory) throws IOException {
        StringBuilder line = new StringBuilder("dir ").append(idOf(directory));
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
                line.append(' ').append(entry.getFileName()).append('=').append(idOf(entry));
            }
        }
        note(line.toString());
    }

    /** Caller holds this. Gives the file at {@code path} a new id: a new file, or a reused inode. */
    private String register(Path path) throws IOException {
        long inode = inode(path);
        int generation = generations.merge(inode, 1, Integer::sum);
        String id = (Files.isDirectory(path) ? "D" : "F") + inode + "." + generation;
        ids.put(inode, id);
        note("new " + id);
        return id;
    }

    /**
     * The id of the file at {@code path}; one made by other means (a lock file, a temporary folder,
     * or on an inode freed outside this storage) is registered now.
     */
    private synchronized String idOf(Path path) throws IOException {
        String id = ids.get(inode(path));
        boolean sameType = id != null && id.startsWith(Files.isDirectory(path) ? "D" : "F");
        return sameType ? id : register(path);
    }

    private static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    /** Caller holds this. Halts the JVM if this was the force to cut after. */
    private void countForce() {
        forces++;
        if (forces == haltAfter) {
            Runtime.getRuntime().halt(HALTED);
        }
    }

    /** Caller holds this. Appended with a plain write: it outlives the process, as the page cache does. */
    private void note(String line) throws IOException {
        writeFully(journal, ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)), -1);
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            if (position < 0) {
                channel.write(bytes);
            } else {
                position += channel.write(bytes, position);
            }
        }
    }
}
