package dev.hotpot.heap;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.HeapLockedException;
import dev.hotpot.HotpotException;

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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;

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

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel imageChannel;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment durable;
    private final Mappings.PersistenceMode persistenceMode;
    private volatile HeapHeader header;

    private HeapFile(Path directory, FileChannel lockChannel, FileLock lock, FileChannel imageChannel,
                     HeapHeader header) throws IOException {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.imageChannel = imageChannel;
        this.header = header;
        Mappings.Durable mapping = Mappings.mapDurable(imageChannel, 0, header.heapSize(), arena);
        this.durable = mapping.segment();
        this.persistenceMode = mapping.mode();
    }

    /** Opens the heap at {@code config.heapDirectory()}, creating it first when it does not exist. */
    public static HeapFile openOrCreate(HeapConfig config) {
        Path directory = config.heapDirectory();
        try {
            if (!Files.exists(directory)) {
                create(config);
            }
            return open(directory);
        } catch (IOException e) {
            throw new HotpotException("cannot open heap: directory=" + directory + " (" + e + "); check the path, "
                    + "permissions and free disk space", e);
        }
    }

    private static HeapFile open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new HeapCorruptException("not a heap folder: path=" + directory
                    + " is a file; choose another heap name or directory");
        }
        Path image = directory.resolve(IMAGE);
        if (!Files.isRegularFile(image)) {
            throw new HeapCorruptException("heap folder has no " + IMAGE + ": directory=" + directory
                    + "; it was not made by Hotpot, or the image was deleted (restore it from a backup)");
        }
        FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileChannel imageChannel = null;
        try {
            FileLock lock = tryLock(lockChannel, directory);
            imageChannel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
            HeapHeader header = readHeader(imageChannel, image);
            Files.createDirectories(directory.resolve(LOG));
            return new HeapFile(directory, lockChannel, lock, imageChannel, header);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            if (imageChannel != null) {
                imageChannel.close();
            }
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
            throw new HeapLockedException("heap is already open: directory=" + directory
                    + "; one process opens a heap at a time, close it there first (or open another heap)");
        }
        return lock;
    }

    private static HeapHeader readHeader(FileChannel channel, Path image) throws IOException {
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
     * creation leaves either no heap or a complete empty one.
     */
    private static void create(HeapConfig config) throws IOException {
        Path target = config.heapDirectory();
        Files.createDirectories(config.directory());
        Path temporary = Files.createTempDirectory(config.directory(), "." + config.name() + ".creating-");
        try {
            Files.createDirectories(temporary.resolve(LOG));
            try (FileChannel channel = FileChannel.open(temporary.resolve(IMAGE), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                channel.write(ByteBuffer.allocate(1), config.sizeBytes() - 1);
                MemorySegment page0 = channel.map(FileChannel.MapMode.READ_WRITE, 0, Pages.SIZE, arena);
                new HeapHeader(HeapHeader.FORMAT_VERSION, config.sizeBytes(), new SecureRandom().nextLong(),
                        config.logSegmentBytes(), 0, 0, System.currentTimeMillis()).writeTo(page0);
                page0.force();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                forceDirectory(config.directory());
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                // Another process created the heap first; open theirs.
            }
        } finally {
            deleteRecursively(temporary);
        }
    }

    /** Makes renames and new entries in {@code directory} durable, where the file system can. */
    public static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // Some file systems cannot sync a directory; the rename is then as durable as they make it.
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
        return imageChannel.map(FileChannel.MapMode.PRIVATE, 0, header.heapSize(), arena);
    }

    /** Durably records that the image holds every log record below {@code lsn}. */
    public void writeCheckpoint(long lsn) {
        HeapHeader next = header.withCheckpoint(lsn);
        MemorySegment page0 = durable.asSlice(0, Pages.SIZE);
        next.writeTo(page0);
        page0.force();
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

    public MemorySegment durableImage() {
        return durable;
    }

    public Mappings.PersistenceMode persistenceMode() {
        return persistenceMode;
    }

    @Override
    public void close() throws IOException {
        try {
            arena.close();
            imageChannel.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
