package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.DefaultHeapForTests;
import dev.hotpot.testing.RandomValues;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PersistentArraysTest {
    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    @Test
    void referenceArrayHoldsEveryStorableKindAndStartsAsNulls() {
        PersistentArray<Object> array = new PersistentArray<>(12);
        assertEquals(12, array.length());
        array.forEach(Assertions::assertNull);
        PersistentList<String> list = new PersistentList<>(List.of("x"));
        Object[] values = {"plain", "日本語 \uD800", 1, 2L, (short) 3, (byte) 4, 'c', 1.5f, 2.5, true,
                RandomValues.Color.GREEN, list};
        for (int i = 0; i < values.length; i++) {
            array.set(i, values[i]);
        }
        List<Object> read = new ArrayList<>();
        array.forEach(read::add);
        assertEquals(Arrays.asList(values), read);
        assertSame(list, array.get(11));
        array.set(0, null);
        assertNull(array.get(0));
        Hotpot.free(array);
        assertEquals(List.of("x"), list, "freeing an array does not free the objects it refers to");
    }

    @Test
    void primitiveArraysRoundTripThroughOfGetSetAndToArray() {
        PersistentLongArray longs = PersistentLongArray.of(Long.MIN_VALUE, -1, 0, Long.MAX_VALUE);
        longs.set(2, 42);
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 42, Long.MAX_VALUE}, longs.toArray());
        assertEquals(-1, longs.get(1));

        PersistentIntArray ints = PersistentIntArray.of(Integer.MIN_VALUE, 7);
        ints.set(1, -7);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -7}, ints.toArray());

        PersistentDoubleArray doubles = PersistentDoubleArray.of(-0.0, Double.NaN, 1e300);
        doubles.set(2, Math.PI);
        assertArrayEquals(new double[] {-0.0, Double.NaN, Math.PI}, doubles.toArray());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(doubles.get(0)));

        PersistentFloatArray floats = PersistentFloatArray.of(Float.MIN_VALUE, -2.5f);
        floats.set(0, Float.POSITIVE_INFINITY);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, -2.5f}, floats.toArray());

        PersistentShortArray shorts = PersistentShortArray.of(Short.MIN_VALUE, (short) 5);
        shorts.set(1, Short.MAX_VALUE);
        assertArrayEquals(new short[] {Short.MIN_VALUE, Short.MAX_VALUE}, shorts.toArray());

        PersistentCharArray chars = PersistentCharArray.of('a', '\uD800', '€');
        chars.set(0, '\uFFFF');
        assertArrayEquals(new char[] {'\uFFFF', '\uD800', '€'}, chars.toArray());

        PersistentByteArray bytes = PersistentByteArray.of((byte) -128, (byte) 127);
        bytes.set(0, (byte) -1);
        assertArrayEquals(new byte[] {-1, 127}, bytes.toArray());

        PersistentBooleanArray booleans = PersistentBooleanArray.of(true, false, true);
        booleans.set(0, false);
        assertArrayEquals(new boolean[] {false, false, true}, booleans.toArray());
        assertTrue(booleans.get(2));
    }

    @Test
    void newArraysHoldZerosAndEmptyArraysWork() {
        assertArrayEquals(new long[5], new PersistentLongArray(5).toArray());
        assertArrayEquals(new double[3], new PersistentDoubleArray(3).toArray());
        assertArrayEquals(new boolean[4], new PersistentBooleanArray(4).toArray());
        assertArrayEquals(new char[2], new PersistentCharArray(2).toArray());
        PersistentIntArray empty = PersistentIntArray.of();
        assertEquals(0, empty.length());
        assertArrayEquals(new int[0], empty.toArray());
        assertFalse(new PersistentArray<>(0).iterator().hasNext());
        Hotpot.free(empty);
        NegativeArraySizeException negative = assertThrows(NegativeArraySizeException.class,
                () -> new PersistentLongArray(-3));
        assertTrue(negative.getMessage().contains("length=-3"), negative.getMessage());
    }

    @Test
    void byteArraysCopyRangesInBulk() {
        PersistentByteArray array = new PersistentByteArray(10);
        array.set(2, new byte[] {9, 1, 2, 3, 9}, 1, 3);
        byte[] target = new byte[6];
        array.get(1, target, 1, 5);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 0}, target);
        array.get(10, target, 0, 0);
        assertThrows(IndexOutOfBoundsException.class, () -> array.get(8, target, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> array.set(0, new byte[2], 1, 2));
        IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class,
                () -> array.set(-1, new byte[2], 0, 2));
        assertTrue(range.getMessage().contains("from=-1 count=2") && range.getMessage().contains("length=10"),
                range.getMessage());
    }

    @Test
    void boundsErrorsNameTheIndexAndTheLength() {
        List<Executable> outside = List.of(
                () -> new PersistentArray<>(3).get(3),
                () -> new PersistentArray<String>(3).set(-1, "x"),
                () -> new PersistentLongArray(2).get(2),
                () -> new PersistentIntArray(2).set(-1, 0),
                () -> PersistentDoubleArray.of(1).get(1),
                () -> PersistentFloatArray.of(1).set(5, 0),
                () -> PersistentShortArray.of().get(0),
                () -> PersistentCharArray.of('a').get(-2),
                () -> PersistentByteArray.of((byte) 1).set(1, (byte) 0),
                () -> PersistentBooleanArray.of(true).get(1));
        for (Executable access : outside) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, access);
            assertTrue(e.getMessage().matches("index=-?\\d+ is outside Persistent\\w*Array of length=\\d+ at address=\\d+"),
                    e.getMessage());
        }
    }

    @Test
    void refusedElementsLeaveTheArrayUnchanged() {
        PersistentArray<Object> array = new PersistentArray<>(1);
        array.set(0, "kept");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hotpot.transaction(() -> array.set(0, new Object())));
        assertTrue(e.getMessage().contains("element of class=java.lang.Object in PersistentArray"), e.getMessage());
        assertEquals("kept", array.get(0));
    }

    @Test
    void rolledBackSetsLeaveNoTrace() {
        PersistentLongArray counters = root("counters", PersistentLongArray.class, () -> new PersistentLongArray(4));
        PersistentArray<String> names = root("names", PersistentArray.class, () -> new PersistentArray<String>(4));
        long[] expectedCounters = new long[4];
        String[] expectedNames = new String[4];
        for (int round = 0; round < 100; round++) {
            int r = round;
            assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
                counters.set(r % 4, -1);
                names.set(r % 4, "rolled back " + r);
                names.set((r + 1) % 4, null);
                throw new IllegalStateException("roll back");
            }));
            assertArrayEquals(expectedCounters, counters.toArray(), "after rolled-back round " + r);
            assertEquals(Arrays.asList(expectedNames), toList(names), "after rolled-back round " + r);
            counters.set(r % 4, counters.get(r % 4) + 1);
            expectedCounters[r % 4]++;
            names.set(r % 4, "name " + r + " ß");
            expectedNames[r % 4] = "name " + r + " ß";
        }
        assertArrayEquals(new long[] {25, 25, 25, 25}, counters.toArray());
        assertEquals(List.of("name 96 ß", "name 97 ß", "name 98 ß", "name 99 ß"), toList(names));
        assertSame(counters, root("counters", PersistentLongArray.class, () -> fail("exists already")));
    }

    @Test
    void aHandleMadeFromTheHeapReadsLengthAndElements() {
        PersistentMap<String, Object> holder = new PersistentMap<>();
        holder.put("array", PersistentIntArray.of(3, 1, 4, 1, 5));
        WeakReference<Object> handle = new WeakReference<>(holder.get("array"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (handle.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assumeTrue(handle.get() == null, "the garbage collector kept the handle, so no fresh handle can be made");
        PersistentIntArray fresh = (PersistentIntArray) holder.get("array");
        assertEquals(5, fresh.length());
        assertArrayEquals(new int[] {3, 1, 4, 1, 5}, fresh.toArray());
        fresh.set(4, 9);
        assertEquals(9, ((PersistentIntArray) holder.get("array")).get(4));
    }

    @SuppressWarnings("unchecked")
    private static <T> T root(String name, Class<? super T> type, java.util.function.Supplier<? extends T> create) {
        return (T) Hotpot.root("arrays-" + name, type, create);
    }

    private static List<String> toList(PersistentArray<String> array) {
        List<String> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
