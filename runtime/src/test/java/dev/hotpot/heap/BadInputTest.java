package dev.hotpot.heap;

import dev.hotpot.HeapCorruptException;
import dev.hotpot.HeapFullException;
import dev.hotpot.HeapLockedException;
import dev.hotpot.HeapVersionException;
import dev.hotpot.log.LogReader;
import dev.hotpot.log.RecoveryReport;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Damaged or wrong files, a second opener and a full heap: each a clear error, nothing committed lost. */
class BadInputTest {
    private static final int COUNT = 200;

    @TempDir
    Path dir;

    /** Runs the child that commits COUNT values and crashes, leaving them only in the log. */
    private void commitInChildAndCrash() throws Exception {
        try (ChildJvm child = ChildJvm.start(CommitThenHalt.class, dir.toString(), Integer.toString(COUNT))) {
            child.await("DONE", Duration.ofSeconds(60));
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)));
        }
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("values").resolve("log"))) {
            return files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}\\.log")).max(Path::compareTo).orElseThrow();
        }
    }

    /** Offset of the last non-zero byte of a file. */
    private static long lastNonZero(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int i = bytes.length - 1;
        while (bytes[i] == 0) {
            i--;
        }
        return i;
    }

    /** Offset in {@code segment} just past its last valid record, found with the log's own reader. */
    private static long logEndOffset(Path segment) throws IOException {
        long segmentBytes = Files.size(segment);
        long index = Long.parseLong(segment.getFileName().toString().substring(0, 16), 16);
        try (var channel = java.nio.channels.FileChannel.open(segment); var arena = java.lang.foreign.Arena.ofConfined()) {
            var memory = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, segmentBytes, arena);
            LogReader.Result result = LogReader.scan(i -> i == index ? memory : null, segmentBytes, index * segmentBytes,
                    Long.MAX_VALUE, (lsn, txId, sequence, body) -> { });
            return result.endLsn() - index * segmentBytes;
        }
    }

    private static void assertValues(Heap heap, int present) {
        long values = heap.root("values");
        for (int i = 0; i < COUNT; i++) {
            assertEquals(i < present ? i + 1 : 0, heap.getLong(values + 8L * i), "value " + i);
        }
    }

    @Test
    void aCrashLeavesEveryCommittedTransactionInTheLog() throws Exception {
        commitInChildAndCrash();
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            RecoveryReport report = heap.recoveryReport();
            assertEquals(COUNT + 1, report.records(), report.toString());
            assertFalse(report.tornTail());
            assertValues(heap, COUNT);
        }
    }

    @Test
    void aCorruptLastRecordIsDroppedReportedAndKeptWhileEverythingBeforeItSurvives() throws Exception {
        commitInChildAndCrash();
        Path segment = lastSegment();
        long lastByte = lastNonZero(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(lastByte);
            file.write(file.read() ^ 0x5A);
        }
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            RecoveryReport report = heap.recoveryReport();
            assertTrue(report.tornTail(), report.toString());
            assertTrue(report.toString().contains("checksum"), report.toString());
            assertEquals(COUNT, report.records());
            assertTrue(Files.size(report.droppedCopy()) > 0, "dropped bytes are kept");
            assertValues(heap, COUNT - 1);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsNotReplayed() throws Exception {
        commitInChildAndCrash();
        Path segment = lastSegment();
        long end = logEndOffset(segment);
        byte[] garbage = new byte[3000];
        new Random(7).nextBytes(garbage);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(end);
            file.write(garbage);
        }
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            assertEquals(COUNT + 1, heap.recoveryReport().records());
            assertValues(heap, COUNT);
        }
    }

    @Test
    void aTruncatedHeapFileIsRefusedAndLeftAsItWas() throws Exception {
        commitInChildAndCrash();
        Path image = dir.resolve("values").resolve("heap.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(1 << 20);
        }
        HeapCorruptException e = assertThrows(HeapCorruptException.class, () -> Heap.open(CommitThenHalt.config(dir)));
        assertTrue(e.getMessage().contains("wrong size") && e.getMessage().contains(image.toString()), e.getMessage());
        assertEquals(1 << 20, Files.size(image));
        assertTrue(Files.exists(lastSegment()), "the log with the committed data is untouched");
    }

    @Test
    void aRandomFileIsNotTakenForAHeap() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("values"));
        byte[] random = new byte[1 << 20];
        new Random(1).nextBytes(random);
        Files.write(folder.resolve("heap.img"), random);
        HeapCorruptException e = assertThrows(HeapCorruptException.class, () -> Heap.open(CommitThenHalt.config(dir)));
        assertTrue(e.getMessage().contains("not a Hotpot heap"), e.getMessage());
        assertArrayEquals(random, Files.readAllBytes(folder.resolve("heap.img")), "the file was not modified");
    }

    @Test
    void aFileWhereTheHeapFolderShouldBeIsRefused() throws Exception {
        Files.writeString(dir.resolve("values"), "not a folder");
        HeapCorruptException e = assertThrows(HeapCorruptException.class, () -> Heap.open(CommitThenHalt.config(dir)));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void aHeapOfAnotherFormatVersionIsRefusedWithBothVersions() throws Exception {
        commitInChildAndCrash();
        Path image = dir.resolve("values").resolve("heap.img");
        try (var channel = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); var arena = java.lang.foreign.Arena.ofConfined()) {
            var page0 = channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, Pages.SIZE, arena);
            HeapHeader current = HeapHeader.readFrom(page0, image);
            new HeapHeader(HeapHeader.FORMAT_VERSION + 1, current.heapSize(), current.heapId(),
                    current.logSegmentBytes(), current.checkpointLsn(), current.sequence() + 1,
                    current.createdMillis(), current.lastSequence()).writeTo(page0);
        }
        HeapVersionException e = assertThrows(HeapVersionException.class, () -> Heap.open(CommitThenHalt.config(dir)));
        assertTrue(e.getMessage().contains("version " + (HeapHeader.FORMAT_VERSION + 1))
                && e.getMessage().contains("supported=" + HeapHeader.FORMAT_VERSION), e.getMessage());
    }

    @Test
    void aHeapOfAnEarlierFormatOpensAndBecomesTheCurrentOne() throws Exception {
        commitInChildAndCrash();
        Path image = dir.resolve("values").resolve("heap.img");
        for (int earlier : new int[]{1, 2, 3}) {
            rewriteHeader(image, earlier);
            try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
                assertValues(heap, COUNT);
            }
            assertEquals(HeapHeader.FORMAT_VERSION, rewriteHeader(image, HeapHeader.FORMAT_VERSION),
                    "the first open wrote the header in the current format, from format " + earlier);
        }
    }

    /** Writes the current header again with format {@code version}; returns the format it had. */
    private static int rewriteHeader(Path image, int version) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); var arena = java.lang.foreign.Arena.ofConfined()) {
            var page0 = channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, Pages.SIZE, arena);
            HeapHeader current = HeapHeader.readFrom(page0, image);
            new HeapHeader(version, current.heapSize(), current.heapId(), current.logSegmentBytes(),
                    current.checkpointLsn(), current.sequence() + 1, current.createdMillis(), current.lastSequence())
                    .writeTo(page0);
            return current.formatVersion();
        }
    }

    @Test
    void aTornHeaderWriteFallsBackToThePreviousHeaderCopy() throws Exception {
        commitInChildAndCrash();
        Path image = dir.resolve("values").resolve("heap.img");
        HeapHeader previous;
        try (var channel = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); var arena = java.lang.foreign.Arena.ofConfined()) {
            var page0 = channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, Pages.SIZE, arena);
            previous = HeapHeader.readFrom(page0, image);
            HeapHeader next = previous.withCheckpoint(previous.checkpointLsn() + (1 << 20), previous.lastSequence());
            next.writeTo(page0);
            // Tear the new copy: its CRC no longer matches, as after a crash in the middle of the write.
            long slot = (next.sequence() & 1) * HeapHeader.SLOT_BYTES;
            page0.set(java.lang.foreign.ValueLayout.JAVA_BYTE, slot + 40, (byte) 0x7F);
            assertEquals(previous, HeapHeader.readFrom(page0, image), "the older valid copy wins");
        }
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            assertValues(heap, COUNT);
        }
    }

    @Test
    void aSecondOpenerInThisProcessIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            long a = heap.allocate(8);
            heap.putLong(a, 42);
            HeapLockedException e = assertThrows(HeapLockedException.class, () -> Heap.open(CommitThenHalt.config(dir)));
            assertTrue(e.getMessage().contains("already open") && e.getMessage().contains("values"), e.getMessage());
            try (ChildJvm other = ChildJvm.start(FileLockChild.class, dir.resolve("values").resolve("lock").toString(), "try")) {
                assertTrue(other.awaitSuccess(Duration.ofSeconds(60)).contains("REFUSED"),
                        "the refused opener left the first one's lock in place for other processes");
            }
            assertEquals(42, heap.getLong(a));
            heap.putLong(a, 43);
            assertEquals(43, heap.getLong(a));
        }
    }

    @Test
    void aSecondOpenerInAnotherProcessIsRefused() throws Exception {
        try (ChildJvm child = ChildJvm.start(CommitThenHalt.class, dir.toString(), "10", "hold")) {
            child.await("DONE", Duration.ofSeconds(60));
            assertThrows(HeapLockedException.class, () -> Heap.open(CommitThenHalt.config(dir)));
            child.kill();
        }
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            assertEquals(10, heap.getLong(heap.root("values") + 8 * 9));
        }
    }

    @Test
    void aFullHeapRefusesTheAllocationAndKeepsEverythingCommitted() {
        HeapConfig config = HeapConfig.builder(dir, "tiny").size(HeapConfig.MIN_SIZE).build();
        try (Heap heap = Heap.open(config)) {
            long keep = heap.allocate(16);
            heap.putLong(keep, 7);
            heap.setRoot("keep", keep);
            long last = 0;
            HeapFullException full = null;
            for (int i = 0; i < 100 && full == null; i++) {
                try {
                    last = heap.allocate(100_000);
                } catch (HeapFullException e) {
                    full = e;
                }
            }
            assertNotNull(full, "a 1 MiB heap cannot hold 100 blocks of 100 KB");
            assertTrue(full.getMessage().contains("heap full") && full.getMessage().contains("tiny"), full.getMessage());
            assertEquals(7, heap.getLong(keep));
            heap.free(last);
            assertEquals(last, heap.allocate(100_000), "space freed after a full heap is usable again");
        }
        try (Heap heap = Heap.open(config)) {
            assertEquals(7, heap.getLong(heap.root("keep")));
        }
    }

    @Test
    void damageBeforeAcknowledgedCommitsIsRefusedAndKeptUntilTheOperatorCutsTheLogThere() throws Exception {
        commitInChildAndCrash();
        Path segment = lastSegment();
        java.util.List<Long> lsns = new java.util.ArrayList<>();
        long segmentBytes = Files.size(segment);
        try (var channel = java.nio.channels.FileChannel.open(segment); var arena = java.lang.foreign.Arena.ofConfined()) {
            var memory = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, segmentBytes, arena);
            LogReader.scan(i -> i == 0 ? memory : null, segmentBytes, 0, Long.MAX_VALUE,
                    (lsn, txId, sequence, body) -> lsns.add(lsn));
        }
        // Record 0 allocated the values; record k > 0 stored value k. Damage the one that stored 101.
        long damaged = lsns.get(101);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(damaged + dev.hotpot.log.LogRecordDescriptor.HEADER_LENGTH + 20);
            file.write(file.read() ^ 0x5A);
        }
        byte[] damagedLog = Files.readAllBytes(segment);
        HeapCorruptException refused = assertThrows(HeapCorruptException.class, () -> Heap.open(CommitThenHalt.config(dir)));
        assertTrue(refused.getMessage().contains("redo log damaged: the record at lsn=" + damaged), refused.getMessage());
        assertTrue(refused.getMessage().contains("truncate-log --dir " + dir + " --at " + damaged + " values"), refused.getMessage());
        assertArrayEquals(damagedLog, Files.readAllBytes(segment), "the log is left as it was");
        HeapCorruptException again = assertThrows(HeapCorruptException.class, () -> Heap.open(CommitThenHalt.config(dir)));
        assertTrue(again.getMessage().contains("lsn=" + damaged), "refused again, the same way: " + again.getMessage());

        int exit = new picocli.CommandLine(new dev.hotpot.cli.HotpotCommand())
                .execute("truncate-log", "--dir", dir.toString(), "--at", Long.toString(damaged), "values");
        assertEquals(0, exit);
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            assertValues(heap, 100);
        }
        try (Stream<Path> files = Files.list(dir.resolve("values").resolve("log"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("dropped-"
                    + java.util.HexFormat.of().toHexDigits(damaged) + ".bin")), "the cut bytes are kept");
        }
    }

    @Test
    void commitSequencesContinueAcrossACleanCloseAndACrash() throws Exception {
        commitInChildAndCrash();
        long afterCrash;
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            long values = heap.root("values");
            heap.putLong(values, 1000);
            afterCrash = heap.committedVersion(values);
            assertTrue(afterCrash > COUNT, "after recovering " + (COUNT + 1) + " records the next commit is " + afterCrash);
        }
        try (Heap heap = Heap.open(CommitThenHalt.config(dir))) {
            long values = heap.root("values");
            heap.putLong(values, 1001);
            assertEquals(afterCrash + 1, heap.committedVersion(values),
                    "after a clean close, which leaves no log to replay, the header carries the last sequence");
        }
    }
}
