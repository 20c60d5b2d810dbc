package dev.hotpot.log;

import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.storage.FileStorage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Records written by the log come back in order, across segment ends and recycled segments. */
class LogReaderTest {
    private static final long SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    private static RecordBuffer record(long address, int length, int txId) {
        RecordBuffer record = new RecordBuffer();
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) txId);
        record.addRange(address, MemorySegment.ofArray(bytes), 0, length);
        record.seal(txId, 0);
        return record;
    }

    @Test
    void recordsComeBackInOrderAcrossSegmentsAndRecycledFiles() throws Exception {
        HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), "log");
        List<Long> ends = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong sequences = new java.util.concurrent.atomic.AtomicLong();
        try (RedoLog log = new RedoLog(new FileStorage(), dir, SEGMENT, 0, 1L << 30, metrics)) {
            for (int i = 0; i < 40; i++) {
                ends.add(log.append(record(4096 + i, 5000 + i, i), sequences::incrementAndGet));
            }
            log.forceAll();
            List<Long> txIds = new ArrayList<>();
            List<Long> seen = new ArrayList<>();
            LogReader.Result result = log.scan(0, log.durablePosition(), (lsn, txId, sequence, body) -> {
                txIds.add(txId);
                seen.add(sequence);
            });
            assertEquals(40, result.records());
            assertEquals(ends.getLast(), result.endLsn());
            for (int i = 0; i < 40; i++) {
                assertEquals(i, txIds.get(i));
                assertEquals(i + 1, seen.get(i), "each record carries the sequence it was appended with");
            }
            // Retire the first segments; new ones reuse their files, whose stale records must not be read.
            log.retireBelow(3 * SEGMENT);
            long start = log.writtenPosition();
            for (int i = 0; i < 30; i++) {
                log.append(record(8192, 6000, 100 + i), sequences::incrementAndGet);
            }
            log.forceAll();
            List<Long> later = new ArrayList<>();
            LogReader.Result rest = log.scan(start, Long.MAX_VALUE, (lsn, txId, sequence, body) -> later.add(txId));
            assertEquals(30, rest.records());
            assertFalse(rest.torn());
            assertEquals(100, later.getFirst());
            assertEquals(129, later.getLast());
        }
    }

    @Test
    void aTransactionLargerThanASegmentIsRefused() throws Exception {
        HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), "log");
        try (RedoLog log = new RedoLog(new FileStorage(), dir, SEGMENT, 0, 1L << 30, metrics)) {
            RecordBuffer huge = record(4096, (int) SEGMENT, 1);
            var e = assertThrows(dev.hotpot.TransactionTooLargeException.class, () -> log.append(huge, () -> 1));
            assertTrue(e.getMessage().contains("logSegmentBytes=" + SEGMENT), e.getMessage());
        }
    }

    @Test
    void aCraftedLengthNearTheIntLimitIsAnInvalidRecordNotAnOverflow() {
        long segmentBytes = 64 << 10;
        for (int bodyLength : new int[]{Integer.MAX_VALUE, Integer.MAX_VALUE - 7, Integer.MIN_VALUE, -8}) {
            MemorySegment segment = MemorySegment.ofArray(new byte[(int) segmentBytes]);
            LogRecordDescriptor.putFixedHeader(segment, 0, LogRecordDescriptor.TYPE_COMMIT, bodyLength, 0, 1L, 0);
            LogRecordDescriptor.stampHeader(segment, 0, 1L, 0, 0L, new java.util.zip.CRC32C());
            LogReader.Result result = LogReader.scan(i -> i == 0 ? segment : null, segmentBytes, 0, Long.MAX_VALUE,
                    (lsn, txId, sequence, body) -> fail("a record with body length " + bodyLength + " was visited"));
            assertEquals(0, result.endLsn(), "replay stops before the crafted record, bodyLength=" + bodyLength);
            assertTrue(result.torn(), "its LSN matches: reported as the record being written");
            assertTrue(result.tornInfo().contains("runs past the segment end"), result.tornInfo());
        }
    }

    @Test
    void aForceThatFindsItsSegmentGoneFailsTheLogInsteadOfSkippingIt() throws Exception {
        HotpotMetrics metrics = new HotpotMetrics(new SimpleMeterRegistry(), "log");
        try (RedoLog log = new RedoLog(new FileStorage(), dir, SEGMENT, 0, 1L << 30, metrics)) {
            log.append(record(4096, 100, 1), () -> 1);
            log.retireBelow(SEGMENT); // a checkpoint past records never forced: the segment goes
            var failure = assertThrows(dev.hotpot.HotpotException.class, log::forceAll);
            assertTrue(String.valueOf(failure.getCause()).contains("is gone"), String.valueOf(failure.getCause()));
        }
    }

    @Test
    void aSpareOfAnotherSizeIsDeletedAndTheNewSegmentCreatedAtItsOwnSize() throws Exception {
        java.nio.file.Files.write(dir.resolve("spare-3.log"), new byte[4096]);
        try (LogSegment segment = LogSegment.create(new FileStorage(), dir, 7, SEGMENT)) {
            assertEquals(SEGMENT, segment.memory().byteSize());
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("spare-3.log")), "the mis-sized spare no longer blocks reuse");
        assertEquals(SEGMENT, java.nio.file.Files.size(dir.resolve(LogSegment.fileName(7))));
    }

    @Test
    void damageInsideAForceBatchIsRefusedThoughTheNextRecordWasAppendedBeforeTheForce() throws Exception {
        Path file = dir.resolve(LogSegment.fileName(0));
        java.nio.file.Files.write(file, new byte[(int) SEGMENT]);
        long[] positions = new long[4];
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment segment = new FileStorage().mapDurable(file, SEGMENT, arena).memory();
            long position = 0;
            // Records 0 and 1 were appended before one force that covered both; record 2 after it.
            long[] marks = {0, 0, -1};
            for (int i = 0; i < 3; i++) {
                RecordBuffer record = record(4096 + 8 * i, 8, i);
                long mark = marks[i] >= 0 ? marks[i] : position;
                record.stampAndCopyTo(segment, position, position, i + 1, mark);
                positions[i] = position;
                position += record.recordLength();
            }
            positions[3] = position;
            segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, positions[0] + LogRecordDescriptor.HEADER_LENGTH + 20,
                    (byte) 0x5A); // damage record 0's body
        }
        Recovery recovery = new Recovery(new FileStorage(), dir, SEGMENT);
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment image = arena.allocate(1 << 20);
            var refused = assertThrows(dev.hotpot.HeapCorruptException.class, () -> recovery.replay(0, new dev.hotpot.testing.InMemoryImage(image),
                    dev.hotpot.heap.CheckpointListener.NONE));
            assertTrue(refused.getMessage().contains("the record at lsn=0") && refused.getMessage().contains("lsn=" + positions[2]),
                    refused.getMessage());
        }
    }
}
