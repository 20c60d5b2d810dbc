package dev.hotpot.log;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A heap's redo log as its files are, read without changing any of them: for offline tools that
 * look at what recovery would replay. Segments are mapped read-only when a scan first reaches them.
 *
 * <p>Threading: not thread-safe; one thread opens, scans and closes it.
 */
public final class LogFiles implements AutoCloseable {
    private final Storage storage;
    private final Path logDirectory;
    private final long segmentBytes;
    private final TreeMap<Long, Path> segmentFiles;
    private final TreeMap<Long, LogSegment> mapped = new TreeMap<>();
    private long bytesOnDisk;

    /** Lists the segment files of {@code logDirectory}; a missing folder is an empty log. */
    public LogFiles(Storage storage, Path logDirectory, long segmentBytes) throws IOException {
        this(storage, logDirectory, segmentBytes, new TreeMap<>());
        if (!Files.isDirectory(logDirectory)) {
            return;
        }
        try (var files = Files.list(logDirectory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                bytesOnDisk += Files.size(file);
                OptionalLong index = LogSegment.indexOf(file);
                if (index.isPresent()) {
                    segmentFiles.put(index.getAsLong(), file);
                }
            }
        }
    }

    /** The log of the segment files already listed in {@code segmentFiles}, by index (recovery's). */
    LogFiles(Storage storage, Path logDirectory, long segmentBytes, TreeMap<Long, Path> segmentFiles) {
        this.storage = storage;
        this.logDirectory = logDirectory;
        this.segmentBytes = segmentBytes;
        this.segmentFiles = segmentFiles;
    }

    /** Visits the valid records from {@code fromLsn} up to the first position without one, as recovery would. */
    public LogReader.Result scan(long fromLsn, LogReader.Visitor visitor) {
        return LogReader.scan(this::memory, segmentBytes, fromLsn, Long.MAX_VALUE, visitor);
    }

    /** Bytes of every file in the log folder (segments, spares, kept dropped bytes). */
    public long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** How many segment files the log folder holds. */
    public int segmentCount() {
        return segmentFiles.size();
    }

    /** The memory of segment {@code index}, mapped on first use; null if the log has no such file. */
    MemorySegment memory(long index) {
        Path file = segmentFiles.get(index);
        if (file == null) {
            return null;
        }
        return mapped.computeIfAbsent(index, i -> {
            try {
                return LogSegment.openForRead(storage, file, i, segmentBytes);
            } catch (IOException e) {
                throw new HeapCorruptException("cannot read redo log segment: file=" + file + " directory="
                        + logDirectory + "; check permissions, nothing was changed", e);
            }
        }).memory();
    }

    @Override
    public void close() {
        mapped.values().forEach(LogSegment::close);
        mapped.clear();
    }
}
