package dev.hotpot.heap;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.HeapLockedException;
import dev.hotpot.HotpotException;

import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.PersistenceMode;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The files of one heap and their mappings.
 *
 * <pre>
 * directory/name/
 *   lock        held with an OS file lock while a process has the heap open
 *   heap.img    page 0 is the header ({@link HeapHeader}); the rest is the checkpointed page image
 *   log/        redo log segments (see {@code LogRecordDescriptor})
 * </pre>
 *
 * <p>Two mappings of {@code heap.img}: the <em>durable image</em> (shared, or DAX) that only
 * recovery and checkpoints write, with committed bytes only; and the <em>working copy</em>, a
 * private copy-on-write mapping that transactions read and write in place. Invariant: uncommitted
 * bytes exist only in the working copy and never reach the file.
 *
 * <p>Threading: created and closed by one thread; {@link #writeCheckpoint} is called by recovery and
 * then only by the checkpoint thread.
 */
public final class HeapFile implements AutoCloseable {
    static final String IMAGE = "heap.img";
    static final String LOCK = "lock";
    static final String LOG = "log";
    /** Infix of the temporary folder a heap is created in: {@code .<heap>.creating-<random>}. */
    static final String CREATING = ".creating-";
    /** Age after which a creation folder without a lock file counts as abandoned. */
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

    private final Path directory;
    private final Storage storage;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** This JVM's claim on the lock file ({@link HeldLocks}). */
    private final Path heldLock;
    private final Arena arena = Arena.ofShared();
    private final DurableMapping durable;
    private volatile HeapHeader header;

    private HeapFile(Path directory, Storage storage, FileChannel lockChannel, FileLock lock, Path heldLock,
                     HeapHeader header) throws IOException {
        this.directory = directory;
        this.storage = storage;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.heldLock = heldLock;
        this.header = header;
        try {
            this.durable = storage.mapDurable(directory.resolve(IMAGE), header.heapSize(), arena);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Opens the heap at {@code config.heapDirectory()}, creating it first when it does not exist. */
    public static HeapFile openOrCreate(HeapConfig config) {
        Path directory = config.heapDirectory();
        try {
            removeAbandonedCreations(config);
            if (!Files.exists(directory)) {
                create(config);
            }
            return open(directory, config.storage());
        } catch (IOException e) {
            throw new HotpotException("cannot open heap: directory=" + directory + " (" + e + "); check the path, "
                    + "permissions and free disk space", e);
        }
    }

    /** Opens an existing heap folder, holding its lock, for offline work on its files. */
    public static HeapFile openExisting(Path directory, Storage storage) {
        requireExisting(directory);
        try {
            return open(directory, storage);
        } catch (IOException e) {
            throw new HotpotException("cannot open heap: directory=" + directory + " (" + e + "); check the path and"
                    + " permissions", e);
        }
    }

    /** Refuses a heap folder that does not exist, for tools that must not create one. */
    public static void requireExisting(Path directory) {
        if (!Files.exists(directory)) {
            throw new HotpotException("no heap at directory=" + directory + "; check the --dir and the heap name");
        }
    }

    /** The image file of the heap folder {@code directory}, refusing a folder that cannot be a heap. */
    static Path imageOf(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new HeapCorruptException("not a heap folder: path=" + directory
                    + " is a file; choose another heap name or directory");
        }
        Path image = directory.resolve(IMAGE);
        if (!Files.isRegularFile(image)) {
            throw new HeapCorruptException("heap folder has no " + IMAGE + ": directory=" + directory
                    + "; it was not made by Hotpot, or the image was deleted (restore it from a backup)");
        }
        return image;
    }

    private static HeapFile open(Path directory, Storage storage) throws IOException {
        Path image = imageOf(directory);
        Path lockFile = directory.resolve(LOCK);
        Path held = HeldLocks.claim(lockFile);
        if (held == null) {
            throw locked(directory);
        }
        FileChannel lockChannel;
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            HeldLocks.release(held);
            throw e;
        }
        try {
            FileLock lock = tryLock(lockChannel, directory);
            HeapHeader header;
            try (FileChannel imageChannel = FileChannel.open(image, StandardOpenOption.READ)) {
                header = readHeader(imageChannel, image);
            }
            if (!Files.isDirectory(directory.resolve(LOG))) {
                storage.createDirectories(directory.resolve(LOG));
                storage.forceDirectory(directory);
            }
            return new HeapFile(directory, storage, lockChannel, lock, held, header);
        } catch (IOException | RuntimeException | Error e) {
            lockChannel.close();
            HeldLocks.release(held);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel, Path directory) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw locked(directory);
        }
        return lock;
    }

    static HeapLockedException locked(Path directory) {
        return new HeapLockedException("heap is already open: directory=" + directory
                + "; one process opens a heap at a time, close it there first (or open another heap)");
    }

    static HeapHeader readHeader(FileChannel channel, Path image) throws IOException {
        long fileSize = channel.size();
        if (fileSize < Pages.SIZE) {
            throw new HeapCorruptException("heap file too small to hold a header: file=" + image + " size=" + fileSize
                    + "; it is truncated or not a Hotpot heap, restore it from a backup");
        }
        ByteBuffer page0 = ByteBuffer.allocate(Pages.SIZE);
        while (page0.hasRemaining() && channel.read(page0, page0.position()) > 0) {
            // read the whole first page
        }
        HeapHeader header = HeapHeader.readFrom(MemorySegment.ofBuffer(page0.flip()), image);
        if (fileSize != header.heapSize()) {
            throw new HeapCorruptException("heap file has the wrong size: file=" + image + " size=" + fileSize
                    + " expected=" + header.heapSize() + "; it was truncated or extended outside Hotpot, restore it from a backup");
        }
        return header;
    }

    /**
     * Creates the heap in a temporary sibling folder and renames it into place, so a crash during
     * creation leaves either no heap or a complete empty one: the image's header and size, then the
     * folder's entries are forced before the rename, and the rename before the heap is used.
     */
    private static void create(HeapConfig config) throws IOException {
        Storage storage = config.storage();
        Path target = config.heapDirectory();
        Path existing = config.directory().toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        storage.createDirectories(config.directory());
        // A folder made here is an entry of its parent, durable once the parent is synced.
        for (Path made = config.directory().toAbsolutePath(); !made.equals(existing); made = made.getParent()) {
            storage.forceDirectory(made.getParent());
        }
        Path temporary = Files.createTempDirectory(config.directory(), "." + config.name() + CREATING);
        Path creatorLock = temporary.resolve(LOCK);
        Path held = HeldLocks.claim(creatorLock);
        try (FileChannel creating = FileChannel.open(creatorLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock creator = creating.lock()) {
            storage.createDirectories(temporary.resolve(LOG));
            Path image = temporary.resolve(IMAGE);
            storage.createFile(image, config.sizeBytes());
            try (Arena arena = Arena.ofConfined()) {
                DurableMapping page0 = storage.mapDurable(image, Pages.SIZE, arena);
                new HeapHeader(HeapHeader.FORMAT_VERSION, config.sizeBytes(), new SecureRandom().nextLong(),
                        config.logSegmentBytes(), 0, 0, System.currentTimeMillis(), 0).writeTo(page0.memory());
                page0.force(0, Pages.SIZE);
            }
            storage.forceFile(image);
            storage.forceDirectory(temporary);
            try {
                storage.move(temporary, target);
                storage.forceDirectory(config.directory());
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                // Another process created the heap first; open theirs.
            }
        } finally {
            HeldLocks.release(held);
            deleteRecursively(temporary);
        }
    }

    /**
     * Deletes the temporary folders of creations that a crash cut short: a creator holds the lock
     * file of its folder until it is done, so a folder whose lock is free is abandoned. One without
     * a lock file is abandoned once it is older than any creation takes.
     */
    private static void removeAbandonedCreations(HeapConfig config) throws IOException {
        if (!Files.isDirectory(config.directory())) {
            return;
        }
        String prefix = "." + config.name() + CREATING;
        List<Path> folders;
        try (var entries = Files.list(config.directory())) {
            folders = entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
        for (Path folder : folders) {
            Path lockFile = folder.resolve(LOCK);
            Path held;
            try {
                held = HeldLocks.claim(lockFile);
            } catch (NoSuchFileException finishedMeanwhile) {
                continue;
            }
            if (held == null) {
                continue; // a creation of this JVM: opening its lock file again would release its lock
            }
            try {
                if (!Files.exists(lockFile)) {
                    if (Files.getLastModifiedTime(folder).toInstant().isBefore(Instant.now().minus(ABANDONED_AFTER))) {
                        deleteRecursively(folder);
                    }
                    continue;
                }
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                     FileLock free = channel.tryLock()) {
                    if (free != null) {
                        deleteRecursively(folder);
                    }
                }
            } catch (NoSuchFileException | java.io.UncheckedIOException finishedMeanwhile) {
                // Its creator just finished and renamed it, or gave up and deleted it.
            } finally {
                HeldLocks.release(held);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Maps the working copy; call once, after recovery brought the durable image up to date. */
    MemorySegment mapWorkingCopy() throws IOException {
        return storage.mapPrivate(directory.resolve(IMAGE), header.heapSize(), arena);
    }

    /**
     * Durably records that the image holds every log record below {@code lsn}, the last of them
     * of commit sequence {@code lastSequence}.
     */
    public void writeCheckpoint(long lsn, long lastSequence) {
        HeapHeader next = header.withCheckpoint(lsn, lastSequence);
        next.writeTo(durable.memory().asSlice(0, Pages.SIZE));
        durable.force(0, Pages.SIZE);
        header = next;
    }

    public Path directory() {
        return directory;
    }

    public Path logDirectory() {
        return directory.resolve(LOG);
    }

    public HeapHeader header() {
        return header;
    }

    public DurableMapping durableImage() {
        return durable;
    }

    public PersistenceMode persistenceMode() {
        return durable.mode();
    }

    /** How this heap's files are created, mapped and forced. */
    public Storage storage() {
        return storage;
    }

    @Override
    public void close() throws IOException {
        try {
            arena.close();
        } finally {
            lock.release();
            lockChannel.close();
            HeldLocks.release(heldLock);
        }
    }
}
