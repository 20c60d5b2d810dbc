package dev.hotpot.log;

import dev.hotpot.HotpotException;
import dev.hotpot.TransactionTooLargeException;
import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

import static dev.hotpot.log.LogRecordDescriptor.*;

/**
 * The append side of the redo log: sealed records are copied into mapped segments under a short
 * lock, and made durable by group commit, where one waiting thread forces everything appended so
 * far on behalf of all waiters.
 *
 * <p>Invariants: {@code durable <= written}; every byte below {@code written} is a complete
 * record copy; records are never modified once below {@code written}; segments are unmapped only
 * when wholly below the checkpoint.
 *
 * <p>Threading: {@link #append}, {@link #awaitDurable} and {@link #forceAll} are safe from any
 * thread; {@link #retireBelow} and {@link #scan} are called by the single checkpoint thread.
 */
public final class RedoLog implements AutoCloseable {
    private final Storage storage;
    private final Path directory;
    private final long segmentBytes;
    private final long maxUncheckpointedBytes;
    private final HotpotMetrics metrics;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    private final ReentrantLock appendLock = new ReentrantLock();
    private final Condition checkpointAdvanced = appendLock.newCondition();
    /** Guarded by appendLock for writes; read freely. */
    private volatile long written;
    /** The segment appends go to, and its index; guarded by appendLock. */
    private LogSegment appendSegment;
    private long appendIndex = -1;
    private volatile long checkpointed;
    /** Segments at or above the one holding this position are kept through checkpoints: a reader still needs them. */
    private volatile long retainedFrom = Long.MAX_VALUE;

    /** Whether a thread is forcing; the one that sets it forces, and it alone then writes {@code durable}. */
    private final AtomicBoolean forcing = new AtomicBoolean();
    /** Threads parked until a force covers their position. */
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile long durable;
    private volatile HotpotException failure;

    /**
     * Starts an empty log at {@code startLsn}, which must be a segment boundary past every
     * segment that exists on disk.
     */
    public RedoLog(Storage storage, Path directory, long segmentBytes, long startLsn, long maxUncheckpointedBytes,
                   HotpotMetrics metrics) {
        if (startLsn % segmentBytes != 0) {
            throw new IllegalArgumentException("log must start on a segment boundary: lsn=" + startLsn);
        }
        this.storage = storage;
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.maxUncheckpointedBytes = Math.max(maxUncheckpointedBytes, 2 * segmentBytes);
        this.metrics = metrics;
        this.written = startLsn;
        this.durable = startLsn;
        this.checkpointed = startLsn;
    }

    /**
     * Copies a sealed record into the log and stamps it with the next commit sequence, taken from
     * {@code sequencer} under the append lock, so that sequences grow with log positions. Waits
     * while the log holds more than its bound of un-checkpointed bytes, so the log never grows
     * without bound.
     *
     * @return the log position just past the record: durable once {@link #durablePosition()} reaches
     *         it; the sequence is then {@link RecordBuffer#sequence()}
     */
    public long append(RecordBuffer record, LongSupplier sequencer) {
        int length = record.recordLength();
        if (length > segmentBytes) {
            throw new TransactionTooLargeException("transaction changed " + record.bodyLength()
                    + " bytes of redo, more than one log segment holds: logSegmentBytes=" + segmentBytes
                    + "; split the transaction or raise logSegmentBytes");
        }
        appendLock.lock();
        try {
            while (written - checkpointed > maxUncheckpointedBytes) {
                checkFailure();
                checkpointAdvanced.awaitUninterruptibly();
            }
            checkFailure();
            long position = written;
            long room = segmentBytes - position % segmentBytes;
            if (length > room) {
                if (room >= HEADER_LENGTH) {
                    writePad(segmentFor(position).memory(), position % segmentBytes, position, room, durable);
                }
                position += room;
            }
            MemorySegment target = segmentFor(position).memory();
            try {
                record.stampAndCopyTo(target, position % segmentBytes, position, sequencer.getAsLong(), durable);
            } catch (InternalError fault) {
                // A store to a mapped page that the file system cannot back (typically a full disk).
                failure = new HotpotException("cannot write redo log segment: directory=" + directory + " lsn=" + position
                        + "; the disk is probably full: free space, then close and reopen the heap", fault);
                throw failure;
            }
            written = position + length;
            metrics.logBytes(length);
            return written;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Returns once every record that ends at or below {@code lsn} is durable. One thread at a time
     * forces everything appended so far, for itself and every record appended before it (group
     * commit); the others park and usually find their record covered. A finished force wakes only
     * the threads it made durable, and one more to lead the next force: waking every waiter to
     * contend for one monitor cost more CPU than the forces themselves on a 2-core machine.
     * Measured on this project's disks, overlapping forces and delaying a force to gather more
     * records were no faster. Uninterruptible: an appended record may become durable anyway, so its
     * transaction cannot be abandoned half-way; the interrupt status is kept.
     */
    public void awaitDurable(long lsn) {
        boolean interrupted = false;
        Waiter self = null;
        try {
            while (durable < lsn) {
                checkFailure();
                if (forcing.compareAndSet(false, true)) {
                    force(durable, written);
                    continue;
                }
                if (self == null) {
                    self = new Waiter(Thread.currentThread(), lsn);
                }
                waiters.add(self);
                // Queued before this check, so a force that ends after it sees this waiter and wakes it.
                if (forcing.get() && durable < lsn && failure == null) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
                waiters.remove(self);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A thread parked in {@link #awaitDurable} until the log is durable up to {@code lsn}. */
    private record Waiter(Thread thread, long lsn) {
    }

    /** Forces {@code [from, target)} as the one forcing thread, then publishes the durable position and wakes waiters. */
    private void force(long from, long target) {
        boolean forced = false;
        try {
            long start = System.nanoTime();
            forceRange(from, target);
            metrics.logForce(System.nanoTime() - start);
            forced = true;
        } catch (UncheckedIOException | IllegalStateException e) {
            failure = new HotpotException("redo log force failed: directory=" + directory + " range=[" + from + ", "
                    + target + "); commits after the last durable one are unconfirmed, close and reopen the heap", e);
            throw failure;
        } finally {
            if (forced) {
                durable = target;
            }
            forcing.set(false);
            wakeWaiters();
        }
    }

    /** Wakes the waiters the log is now durable for (all of them after a failure), and one more to force next. */
    private void wakeWaiters() {
        long now = durable;
        boolean failed = failure != null;
        boolean nextLeaderWoken = false;
        for (Waiter waiter : waiters) {
            if (failed || waiter.lsn() <= now) {
                LockSupport.unpark(waiter.thread());
            } else if (!nextLeaderWoken) {
                LockSupport.unpark(waiter.thread());
                nextLeaderWoken = true;
            }
        }
    }

    /** Calls {@code action} with the written position while no record can be appended (so not with a commit's sequence half taken). */
    public <T> T atTail(java.util.function.LongFunction<T> action) {
        appendLock.lock();
        try {
            return action.apply(written);
        } finally {
            appendLock.unlock();
        }
    }

    /** Forces everything appended so far. */
    public void forceAll() {
        awaitDurable(written);
    }

    public long writtenPosition() {
        return written;
    }

    public long durablePosition() {
        return durable;
    }

    /**
     * Visits the records in {@code [from, to)}, which must lie below {@link #writtenPosition()} and
     * at or above the checkpoint or the retained position. Any thread; the checkpoint thread and a
     * cluster primary's shippers read concurrently.
     */
    public LogReader.Result scan(long from, long to, LogReader.Visitor visitor) {
        return LogReader.scan(index -> {
            LogSegment segment = segments.get(index);
            return segment == null ? null : segment.memory();
        }, segmentBytes, from, to, visitor);
    }

    /**
     * Keeps the records from {@code lsn} on readable with {@link #scan} through checkpoints (a
     * cluster primary ships them from here); {@code Long.MAX_VALUE} keeps nothing back.
     */
    public void retainFrom(long lsn) {
        retainedFrom = lsn;
    }

    /** Records that everything below {@code lsn} is in the image, and recycles segments wholly below it and below the retained position. */
    public void retireBelow(long lsn) throws IOException {
        for (Map.Entry<Long, LogSegment> entry : segments.headMap(Math.min(lsn, retainedFrom) / segmentBytes).entrySet()) {
            segments.remove(entry.getKey());
            entry.getValue().retire(storage);
        }
        appendLock.lock();
        try {
            checkpointed = lsn;
            checkpointAdvanced.signalAll();
        } finally {
            appendLock.unlock();
        }
    }

    /** Marks the log failed so that appenders waiting for space are released with an error. */
    public void fail(HotpotException cause) {
        failure = cause;
        wakeWaiters();
        appendLock.lock();
        try {
            checkpointAdvanced.signalAll();
        } finally {
            appendLock.unlock();
        }
    }

    public long uncheckpointedBytes() {
        return written - checkpointed;
    }

    private void forceRange(long from, long to) {
        for (long index = from / segmentBytes; index * segmentBytes < to; index++) {
            LogSegment segment = segments.get(index);
            long start = Math.max(from, index * segmentBytes) - index * segmentBytes;
            long end = Math.min(to, (index + 1) * segmentBytes) - index * segmentBytes;
            if (segment == null) {
                throw new IllegalStateException("redo log segment index=" + index + " is gone while the log position "
                        + to + " still needs it forced");
            }
            segment.force(start, end);
        }
    }

    /** Caller holds appendLock. */
    private LogSegment segmentFor(long position) {
        long index = position / segmentBytes;
        if (index == appendIndex) {
            return appendSegment;
        }
        LogSegment segment = segments.get(index);
        if (segment == null) {
            try {
                segment = LogSegment.create(storage, directory, index, segmentBytes);
            } catch (IOException e) {
                failure = new HotpotException("cannot create redo log segment: directory=" + directory + " index=" + index
                        + "; check free disk space and permissions", e);
                throw failure;
            }
            segments.put(index, segment);
        }
        appendIndex = index;
        appendSegment = segment;
        return segment;
    }

    private static void writePad(MemorySegment segment, long offset, long lsn, long room, long durableMark) {
        putFixedHeader(segment, offset, TYPE_PAD, (int) (room - HEADER_LENGTH), 0, 0L, 0);
        stampHeader(segment, offset, 0L, lsn, durableMark, new CRC32C());
    }

    private void checkFailure() {
        HotpotException f = failure;
        if (f != null) {
            throw new HotpotException("redo log is unusable after an earlier failure: directory=" + directory
                    + "; close and reopen the heap", f);
        }
    }

    @Override
    public void close() {
        for (LogSegment segment : segments.values()) {
            segment.close();
        }
        segments.clear();
    }
}
