package dev.hotpot.log;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.storage.DurableMapping;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.TreeMap;

/**
 * Replays the redo log into the page image at open. Replay starts at the checkpoint and stops at
 * the first position without a valid record: every record before it was acknowledged or at least
 * fully written, nothing after it was acknowledged (commits wait for the force that covers them,
 * and forces cover a prefix). The replayed image is forced, and the caller then moves the
 * checkpoint past every existing segment and retires them, so stale bytes are never read again.
 *
 * <p>Threading: runs once, on the opening thread, while the heap's file lock is held.
 */
public final class Recovery {
    /** Names of files that keep log bytes recovery or a truncation left out of the log. */
    static final String DROPPED_PREFIX = "dropped-";

    private final Storage storage;
    private final Path logDirectory;
    private final long segmentBytes;
    private final TreeMap<Long, Path> segmentFiles = new TreeMap<>();

    public Recovery(Storage storage, Path logDirectory, long segmentBytes) throws IOException {
        this.storage = storage;
        this.logDirectory = logDirectory;
        this.segmentBytes = segmentBytes;
        try (var files = Files.list(logDirectory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                OptionalLong index = LogSegment.indexOf(file);
                if (index.isPresent()) {
                    segmentFiles.put(index.getAsLong(), file);
                } else if (file.getFileName().toString().endsWith(LogSegment.SUFFIX + LogSegment.TEMPORARY_SUFFIX)) {
                    // A segment a crash cut short before its rename: it never held a record.
                    storage.delete(file);
                }
            }
        }
    }

    /** Replays records from {@code fromLsn} into {@code image} and forces what it wrote. */
    public RecoveryReport replay(long fromLsn, DurableMapping image, dev.hotpot.heap.CheckpointListener listener)
            throws IOException {
        long start = System.nanoTime();
        // Records past the last acknowledged force may sit only in the page cache after a process
        // crash. They are about to be applied to the image, so they must be on disk first: else a
        // power loss could leave the image with part of a transaction the log no longer has.
        for (var entry : segmentFiles.tailMap(fromLsn / segmentBytes).entrySet()) {
            storage.forceFile(entry.getValue());
        }
        RedoApplier applier = new RedoApplier(image, listener);
        try (LogFiles files = new LogFiles(storage, logDirectory, segmentBytes, segmentFiles)) {
            LogReader.Result result = files.scan(fromLsn, applier);
            refuseDamage(files::memory, result.endLsn());
            applier.forceTouched();
            Path dropped = result.torn() ? keepDroppedBytes(files.memory(result.endLsn() / segmentBytes), result.endLsn()) : null;
            return new RecoveryReport(fromLsn, result.records(), applier.bytesApplied(), result.endLsn(),
                    applier.lastSequence(), result.torn(), result.tornInfo(), dropped, System.nanoTime() - start);
        }
    }

    /**
     * Refuses to end the log at {@code endLsn} when a later valid record proves the bytes there had
     * been forced (its durable mark lies past them): an acknowledged record was damaged after it
     * was written, and the commits after it are acknowledged too. The log and the header stay as
     * they are; the image holds records up to the damage, which the next open replays again.
     */
    private void refuseDamage(LongFunction<MemorySegment> segments, long endLsn) {
        if (segmentFiles.isEmpty()) {
            return;
        }
        LogReader.Found later = LogReader.findRecordMarkedPast(segments, segmentBytes, endLsn + 8,
                segmentFiles.lastKey(), endLsn);
        if (later != null) {
            Path file = segmentFiles.get(endLsn / segmentBytes);
            throw new HeapCorruptException("redo log damaged: the record at lsn=" + endLsn + " (file="
                    + (file == null ? logDirectory.resolve(LogSegment.fileName(endLsn / segmentBytes)) : file)
                    + " offset=" + endLsn % segmentBytes + ") is not valid, yet it had been made durable: the valid"
                    + " record at lsn=" + later.lsn() + " was written after the log was durable up to lsn="
                    + later.durableMark() + ". Acknowledged commits follow the damage, so the heap was not opened; its"
                    + " log and header are unchanged. Restore the heap folder from a copy, or give up every commit from lsn="
                    + endLsn + " on with: hotpot truncate-log --dir " + logDirectory.getParent().getParent() + " --at "
                    + endLsn + " " + logDirectory.getParent().getFileName());
        }
    }

    /**
     * Copies the bytes from an invalid record to the last non-zero byte of its segment into
     * {@code dropped-<lsn>.bin}, so that nothing recovery skips is destroyed when the segment is
     * recycled: after a crash they are an unacknowledged commit, after media damage they may be
     * more, and an operator can still inspect them.
     */
    private Path keepDroppedBytes(MemorySegment memory, long lsn) throws IOException {
        long from = lsn % segmentBytes;
        long end = memory.byteSize();
        while (end > from && memory.get(java.lang.foreign.ValueLayout.JAVA_BYTE, end - 1) == 0) {
            end--;
        }
        Path copy = logDirectory.resolve(DROPPED_PREFIX + java.util.HexFormat.of().toHexDigits(lsn) + ".bin");
        if (Files.exists(copy)) {
            storage.delete(copy); // left by an open or a cut that stopped before it finished: the same bytes
        }
        // Forced, and its name too, before the segment it copies can be recycled.
        storage.writeFile(copy, memory.asSlice(from, end - from).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        storage.forceDirectory(logDirectory);
        return copy;
    }

    /**
     * Cuts the log at {@code lsn}, an operator's answer to a damaged log: the bytes from it to the
     * end of its segment go to {@code dropped-<lsn>.bin} and are zeroed, and every later segment is
     * renamed {@code dropped-<index>.log}. Every byte is kept, and the next open replays up to
     * {@code lsn}; the commits from it on are lost. Call with the heap's lock held.
     *
     * @return the file that keeps the bytes cut from {@code lsn}'s segment, or null if it had none
     */
    public Path truncateAt(long lsn) throws IOException {
        long index = lsn / segmentBytes;
        Path dropped = null;
        Path file = segmentFiles.get(index);
        if (file != null) {
            long size = Math.min(segmentBytes, Files.size(file));
            long from = lsn % segmentBytes;
            if (from < size) {
                try (Arena arena = Arena.ofConfined()) {
                    DurableMapping segment = storage.mapDurable(file, size, arena);
                    dropped = keepDroppedBytes(segment.memory(), lsn);
                    segment.memory().asSlice(from).fill((byte) 0);
                    segment.force(from, size - from);
                }
            }
        }
        for (var later : segmentFiles.tailMap(index + 1).entrySet()) {
            storage.move(later.getValue(), logDirectory.resolve(DROPPED_PREFIX + LogSegment.fileName(later.getKey())));
        }
        segmentFiles.tailMap(index + 1).clear();
        storage.forceDirectory(logDirectory);
        return dropped;
    }

    /** The first segment boundary past every segment file and past {@code lsn}: where the new log starts. */
    public long freshStart(long lsn) {
        long next = Math.ceilDiv(lsn, segmentBytes);
        if (!segmentFiles.isEmpty()) {
            next = Math.max(next, segmentFiles.lastKey() + 1);
        }
        return next * segmentBytes;
    }

    /** Retires every segment file found at open; call after the checkpoint moved past them. */
    public void retireAll() throws IOException {
        for (var entry : segmentFiles.entrySet()) {
            LogSegment.retireFile(storage, entry.getValue(), entry.getKey());
        }
        segmentFiles.clear();
    }
}
