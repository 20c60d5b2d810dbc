package dev.hotpot.heap;

import dev.hotpot.HotpotException;
import dev.hotpot.log.CommitBody;
import dev.hotpot.log.LogFiles;
import dev.hotpot.log.LogReader;
import dev.hotpot.log.LogRecordDescriptor;
import dev.hotpot.storage.FileStorage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A heap's files seen read-only, for offline tools: the page image as the last checkpoint left it,
 * with the valid records of the log after the checkpoint laid over it as recovery would apply
 * them. No file is opened for writing, so not a byte of the heap folder changes.
 *
 * <p>Invariants: while open it holds a shared lock on the heap's lock file, so a process that has
 * the heap open (an exclusive lock) makes {@link #open} fail, and no process can open the heap
 * until this is closed. Pages the log writes are copies in memory ({@code overlay}); every other
 * load reads the read-only mapping of {@code heap.img}.
 *
 * <p>Threading: not thread-safe; one thread opens, reads and closes it.
 */
public final class HeapImage implements HeapReader, AutoCloseable {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final Path directory;
    private final HeapHeader header;
    private final FileChannel lockChannel;
    private final Path heldLock;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment image;
    private final Map<Integer, MemorySegment> overlay = new HashMap<>();
    private LogReader.Result replayed;
    private long logFileBytes;
    private int logSegments;

    private HeapImage(Path directory, HeapHeader header, FileChannel lockChannel, Path heldLock) throws IOException {
        this.directory = directory;
        this.header = header;
        this.lockChannel = lockChannel;
        this.heldLock = heldLock;
        this.image = new FileStorage().mapReadOnly(directory.resolve(HeapFile.IMAGE), header.heapSize(), arena);
    }

    /**
     * Opens the heap folder {@code directory} read-only and lays the log after its checkpoint over
     * its image.
     *
     * @throws HotpotException                 if there is no heap there
     * @throws dev.hotpot.HeapLockedException  if a process (this one included) has it open
     * @throws dev.hotpot.HeapCorruptException if its header or its size is not a heap's
     */
    public static HeapImage open(Path directory) {
        HeapFile.requireExisting(directory);
        Path imageFile = HeapFile.imageOf(directory);
        Path lockFile = directory.resolve(HeapFile.LOCK);
        FileChannel lockChannel = null;
        Path held = null;
        try {
            held = HeldLocks.claim(lockFile);
            if (held == null) {
                throw HeapFile.locked(directory);
            }
            // Every heap has a lock file from its creation on; without one, no process can hold it.
            if (Files.exists(lockFile)) {
                lockChannel = FileChannel.open(lockFile, StandardOpenOption.READ);
                FileLock shared = lockChannel.tryLock(0, Long.MAX_VALUE, true);
                if (shared == null) {
                    throw HeapFile.locked(directory);
                }
            }
            HeapHeader header;
            try (FileChannel channel = FileChannel.open(imageFile, StandardOpenOption.READ)) {
                header = HeapFile.readHeader(channel, imageFile);
            }
            HeapImage opened = new HeapImage(directory, header, lockChannel, held);
            try {
                opened.replayLog();
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (IOException | RuntimeException e) {
            release(lockChannel, held, e);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new HotpotException("cannot read heap: directory=" + directory + " (" + e + "); check the path and"
                    + " permissions", e);
        }
    }

    private void replayLog() throws IOException {
        try (LogFiles log = new LogFiles(new FileStorage(), directory.resolve(HeapFile.LOG), header.logSegmentBytes())) {
            replayed = log.scan(header.checkpointLsn(), (lsn, txId, sequence, body) -> {
                for (long at = 0, size = body.byteSize(); at < size; ) {
                    int length = CommitBody.checkRange(body, at, header.heapSize(), lsn);
                    overlay(CommitBody.address(body, at), body, at + LogRecordDescriptor.RANGE_HEADER_LENGTH, length);
                    at = CommitBody.next(at, length);
                }
            });
            logFileBytes = log.bytesOnDisk();
            logSegments = log.segmentCount();
        }
    }

    /** Copies {@code length} bytes of {@code body} from {@code from} into the overlay pages at {@code address}. */
    private void overlay(long address, MemorySegment body, long from, int length) {
        for (int done = 0; done < length; ) {
            long at = address + done;
            int piece = (int) Math.min(length - done, Pages.SIZE - (at & Pages.OFFSET_MASK));
            MemorySegment page = overlay.computeIfAbsent(Pages.pageOf(at), p -> {
                MemorySegment copy = arena.allocate(Pages.SIZE, 8);
                copy.copyFrom(image.asSlice(Pages.addressOf(p), Pages.SIZE));
                return copy;
            });
            CommitBody.copyRange(body, from + done, page, at & Pages.OFFSET_MASK, piece);
            done += piece;
        }
    }

    private static void release(FileChannel lockChannel, Path held, Exception failure) {
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        } finally {
            if (held != null) {
                HeldLocks.release(held);
            }
        }
    }

    // ---- what the files say -------------------------------------------------------------------

    public Path directory() {
        return directory;
    }

    public HeapHeader header() {
        return header;
    }

    /** Valid records after the checkpoint, laid over the image. */
    public long logRecords() {
        return replayed.records();
    }

    /** Log bytes from the checkpoint to the end of the last valid record. */
    public long logBytes() {
        return replayed.endLsn() - header.checkpointLsn();
    }

    /** Bytes of every file in the log folder. */
    public long logFileBytes() {
        return logFileBytes;
    }

    public int logSegments() {
        return logSegments;
    }

    // ---- loads --------------------------------------------------------------------------------

    @Override
    public String name() {
        return directory.getFileName().toString();
    }

    @Override
    public long size() {
        return header.heapSize();
    }

    @Override
    public byte getByte(long address) {
        return span(address, 1).get(ValueLayout.JAVA_BYTE, 0);
    }

    @Override
    public int getInt(long address) {
        return span(address, 4).get(INT, 0);
    }

    @Override
    public long getLong(long address) {
        return span(address, 8).get(WORD, 0);
    }

    /** The {@code size} bytes at {@code address}: in place within one page, else a copy. */
    private MemorySegment span(long address, int size) {
        check(address, size);
        return Pages.withinOnePage(address, size) ? pageOf(address).asSlice(address & Pages.OFFSET_MASK, size)
                : MemorySegment.ofArray(getBytes(address, size));
    }

    @Override
    public byte[] getBytes(long address, int length) {
        check(address, length);
        byte[] bytes = new byte[length];
        for (int done = 0; done < length; ) {
            long at = address + done;
            int piece = (int) Math.min(length - done, Pages.SIZE - (at & Pages.OFFSET_MASK));
            MemorySegment.copy(pageOf(at), ValueLayout.JAVA_BYTE, at & Pages.OFFSET_MASK, bytes, done, piece);
            done += piece;
        }
        return bytes;
    }

    /** The page holding {@code address}: its overlay copy, or its bytes in the image. */
    private MemorySegment pageOf(long address) {
        MemorySegment copy = overlay.get(Pages.pageOf(address));
        return copy != null ? copy : image.asSlice(address & ~Pages.OFFSET_MASK, Pages.SIZE);
    }

    private void check(long address, long length) {
        if (address < Pages.SIZE || length < 0 || address > size() - length) {
            throw new IllegalArgumentException("address=" + address + " length=" + length + " lies outside heap="
                    + name() + " (valid: " + Pages.SIZE + " to " + size() + ")");
        }
    }

    @Override
    public void close() {
        arena.close();
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            throw new HotpotException("cannot release the lock of heap: directory=" + directory + " (" + e + ")", e);
        } finally {
            HeldLocks.release(heldLock);
        }
    }
}
