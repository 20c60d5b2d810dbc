package dev.hotpot.tx;

import dev.hotpot.TransactionConflictException;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class TransactionSemanticsTest {
    @TempDir
    Path dir;
    Heap heap;

    @BeforeEach
    void open() {
        heap = Heap.open(TempHeaps.small(dir).build());
    }

    @AfterEach
    void close() {
        heap.close();
    }

    private Heap reopen() {
        heap.close();
        heap = Heap.open(TempHeaps.small(dir).build());
        return heap;
    }

    @Test
    void everyPrimitiveTypeRoundTripsThroughARestart() {
        long a = heap.allocate(64);
        heap.transaction(() -> {
            heap.putByte(a, (byte) -7);
            heap.putBoolean(a + 1, true);
            heap.putShort(a + 2, (short) -30000);
            heap.putChar(a + 4, '\u20ac');
            heap.putInt(a + 8, -123456789);
            heap.putFloat(a + 12, 3.5f);
            heap.putLong(a + 16, Long.MIN_VALUE + 5);
            heap.putDouble(a + 24, -2.25e300);
            heap.putBytes(a + 32, new byte[] {1, 2, 3, 4, 5});
            heap.setRoot("all", a);
        });
        Heap h = reopen();
        long b = h.root("all");
        assertEquals(a, b);
        assertEquals((byte) -7, h.getByte(b));
        assertTrue(h.getBoolean(b + 1));
        assertEquals((short) -30000, h.getShort(b + 2));
        assertEquals('\u20ac', h.getChar(b + 4));
        assertEquals(-123456789, h.getInt(b + 8));
        assertEquals(3.5f, h.getFloat(b + 12));
        assertEquals(Long.MIN_VALUE + 5, h.getLong(b + 16));
        assertEquals(-2.25e300, h.getDouble(b + 24));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, h.getBytes(b + 32, 5));
    }

    @Test
    void valuesAndByteRangesThatCrossAPageBoundaryRoundTrip() {
        long block = heap.allocate(3 * 4096);
        long boundary = ((block >>> 12) + 1) << 12;
        long range = heap.allocate(8000);
        byte[] bytes = new byte[6000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        heap.transaction(() -> {
            heap.putLong(boundary - 3, 0x0102030405060708L);
            heap.putInt(boundary + 4093, -42);
            heap.putBytes(range + 100, bytes);
        });
        Heap h = reopen();
        assertEquals(0x0102030405060708L, h.getLong(boundary - 3));
        assertEquals(-42, h.getInt(boundary + 4093));
        assertArrayEquals(bytes, h.getBytes(range + 100, bytes.length));
    }

    @Test
    void anExceptionRollsBackEveryWriteAndAllocationAndIsRethrown() {
        long a = heap.allocate(16);
        heap.putLong(a, 1);
        long[] inside = new long[2];
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> heap.transaction(() -> {
            heap.putLong(a, 2);
            inside[0] = heap.allocate(16);
            inside[1] = heap.allocate(100_000);
            heap.putLong(inside[0], 99);
            heap.setRoot("ghost", inside[1]);
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", thrown.getMessage());
        assertEquals(1, heap.getLong(a));
        assertEquals(0, heap.root("ghost"));
        assertFalse(heap.rootNames().contains("ghost"));
        // The aborted allocations were undone: the allocator hands out the same blocks again, zeroed.
        assertEquals(inside[0], heap.allocate(16));
        assertEquals(0, heap.getLong(inside[0]));
        assertEquals(inside[1], heap.allocate(100_000));
    }

    @Test
    void nestedTransactionsFlattenIntoTheOutermost() {
        long a = heap.allocate(16);
        assertThrows(RuntimeException.class, () -> heap.transaction(() -> {
            heap.transaction(() -> heap.putLong(a, 5));
            assertEquals(5, heap.getLong(a));
            throw new RuntimeException("outer fails after inner returned");
        }));
        assertEquals(0, heap.getLong(a), "inner write rolled back with the outermost");
    }

    @Test
    void aStoreOutsideATransactionCommitsOnItsOwn() {
        long a = heap.allocate(16);
        heap.putLong(a, 77);
        heap.setRoot("a", a);
        Heap h = reopen();
        assertEquals(77, h.getLong(h.root("a")));
    }

    @Test
    void freedBlocksAreReusedAndDoubleFreeIsRefused() {
        long a = heap.allocate(40);
        heap.putLong(a, 123);
        heap.free(a);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> heap.free(a));
        assertTrue(twice.getMessage().contains("already freed"), twice.getMessage());
        long b = heap.allocate(40);
        assertEquals(a, b, "same size class reuses the freed block");
        assertEquals(0, heap.getLong(b), "reused blocks are zeroed");
        long large = heap.allocate(200_000);
        heap.free(large);
        assertEquals(large, heap.allocate(150_000), "large blocks are reused first-fit");
    }

    @Test
    void nullAndOutOfRangeAddressesAreRefusedWithTheHeapName() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> heap.getLong(0));
        assertTrue(nul.getMessage().contains("null address"), nul.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> heap.putLong(heap.size() - 4, 1));
        assertTrue(out.getMessage().contains("heap=test"), out.getMessage());
    }

    @Test
    void aTransactionThatKeepsConflictingGivesUpWithAClearError() throws Exception {
        Heap h = Heap.open(TempHeaps.small(dir.resolve("conflicts")).maxAttempts(3).build());
        try {
            long a = h.allocate(16);
            long b = h.allocate(16);
            AtomicInteger runs = new AtomicInteger();
            // Each attempt reads a, then another thread commits a change to a before this one commits.
            TransactionConflictException e = assertThrows(TransactionConflictException.class,
                    () -> h.transaction(() -> {
                        runs.incrementAndGet();
                        long seen = h.getLong(a);
                        Thread writer = Thread.ofPlatform().start(() -> h.putLong(a, seen + 1));
                        try {
                            writer.join();
                        } catch (InterruptedException interrupted) {
                            throw new IllegalStateException(interrupted);
                        }
                        h.putLong(b, seen);
                    }));
            assertEquals(3, runs.get());
            assertTrue(e.getMessage().contains("maxAttempts=3"), e.getMessage());
            assertEquals(3, h.getLong(a), "every competing commit went through");
            assertEquals(0, h.getLong(b), "no attempt of the conflicting transaction committed");
        } finally {
            h.close();
        }
    }
}
