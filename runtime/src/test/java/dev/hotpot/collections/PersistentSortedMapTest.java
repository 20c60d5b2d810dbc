package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.object.ValueSlots;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.DefaultHeapForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

class PersistentSortedMapTest {
    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    @Test
    void putGetRemoveAndCeilingIterationMatchTreeMap() {
        PersistentSortedMap<String, Object> map = new PersistentSortedMap<>();
        TreeMap<String, Object> model = new TreeMap<>();
        Random random = new Random(1);
        for (int i = 0; i < 6000; i++) {
            String key = "user" + random.nextInt(3000);
            if (random.nextInt(4) == 0) {
                assertEquals(model.remove(key), map.remove(key), key);
            } else {
                Object value = random.nextBoolean() ? (Object) ("v" + i) : (Object) (long) i;
                assertEquals(model.put(key, value), map.put(key, value), key);
            }
        }
        assertEquals(model.size(), map.checkInvariants().entries());
        assertEquals(model.size(), map.size());
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(map.entrySet()));
        List<String> from = new ArrayList<>();
        for (Iterator<String> keys = map.tailMap("user15", true).keySet().iterator(); keys.hasNext(); ) {
            from.add(keys.next());
        }
        assertEquals(new ArrayList<>(model.tailMap("user15", true).keySet()), from);
        assertEquals(model.ceilingKey("user1234x"), map.ceilingKey("user1234x"));
        assertEquals(new ArrayList<>(model.descendingMap().entrySet()), new ArrayList<>(map.descendingMap().entrySet()));
        for (String key : new ArrayList<>(model.keySet())) {
            assertEquals(model.remove(key), map.remove(key));
        }
        assertTrue(map.isEmpty());
        assertEquals(0, map.checkInvariants().entries());
        Hotpot.free(map);
    }

    @Test
    void aMapThatHoldsItselfPrintsAsJavaUtilMapsDo() {
        PersistentSortedMap<String, Object> map = new PersistentSortedMap<>();
        map.put("a", 1L);
        map.put("self", map);
        assertEquals("{a=1, self=(this Map)}", map.toString());
        assertEquals("{self=(this Map), a=1}", map.descendingMap().toString());
    }

    @Test
    void longKeysIncludingExtremes() {
        PersistentSortedMap<Long, Long> map = new PersistentSortedMap<>();
        TreeMap<Long, Long> model = new TreeMap<>();
        Random random = new Random(2);
        for (int i = 0; i < 4000; i++) {
            long key = switch (random.nextInt(5)) {
                case 0 -> Long.MIN_VALUE + random.nextInt(10);
                case 1 -> Long.MAX_VALUE - random.nextInt(10);
                default -> random.nextInt(4000) - 2000;
            };
            assertEquals(model.put(key, (long) i), map.put(key, (long) i));
        }
        map.checkInvariants();
        assertEquals(model, map);
        assertEquals(model.firstKey(), map.firstKey());
        assertEquals(model.lastKey(), map.lastKey());
        assertEquals(model.floorKey(-1L), map.floorKey(-1L));
        assertEquals(model.lowerEntry(0L), map.lowerEntry(0L));
        assertEquals(model.subMap(-100L, true, 100L, false), map.subMap(-100L, true, 100L, false));
        assertEquals(Map.copyOf(model.headMap(-5L)), Map.copyOf(map.headMap(-5L)));
        Hotpot.free(map);
    }

    @Test
    void everyBoxedPrimitiveKindKeepsNaturalOrder() {
        List<List<?>> kinds = List.of(
                List.of(-0.0, 0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -1.5, 1e300, Double.MIN_VALUE),
                List.of(-0.0f, 0.0f, Float.NaN, Float.NEGATIVE_INFINITY, 3.5f, -2f, Float.MAX_VALUE),
                List.of(Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE),
                List.of((short) -5, (short) 7, Short.MIN_VALUE, Short.MAX_VALUE),
                List.of((byte) -1, (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE),
                List.of('a', '\u0000', '\uFFFF', 'Z'),
                List.of(true, false),
                List.of("", "\u0000", "a", "ab", "\u00FF", "\u0100", "\uD800", "\uFFFF", "ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿz", "ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ"));
        for (List<?> keys : kinds) {
            PersistentSortedMap<Object, Object> map = new PersistentSortedMap<>();
            TreeMap<Object, Object> model = new TreeMap<>();
            for (Object key : keys) {
                model.put(key, key.toString());
                map.put(key, key.toString());
            }
            assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(map.keySet()), "order of " + keys);
            for (Object key : keys) {
                assertEquals(model.get(key), map.get(key));
                assertEquals(model.higherKey(key), map.higherKey(key));
            }
            map.checkInvariants();
            Hotpot.free(map);
        }
    }

    /** The worked example of docs/format.md, byte for byte. */
    @Test
    void theLeafOfTheFormatDocsWorkedExample() {
        PersistentSortedMap<String, Long> map = new PersistentSortedMap<>();
        map.put("b", 2L);
        map.put("a", 1L);
        dev.hotpot.heap.Heap heap = Hotpot.heap();
        Hotpot.transaction(() -> {
            assertEquals(ValueSlots.STRING, heap.getLong(map.hotpot$address + BPlusTree.KEY_KIND));
            long leaf = heap.getLong(map.hotpot$address + BPlusTree.ROOT);
            assertEquals(BPlusNode.header(2, 0), heap.getLong(leaf));
            assertEquals(0, heap.getLong(leaf + BPlusNode.NEXT));
            assertEquals(0b11, heap.getLong(leaf + BPlusNode.USED));
            assertArrayEquals(new byte[] {1, 0, 0}, heap.getBytes(leaf + BPlusNode.ORDER, 3));
            for (int slot = 0; slot < 2; slot++) {
                long at = leaf + 72 + 48 * slot;
                assertEquals(slot == 0 ? 0x6200000000000000L : 0x6100000000000000L, heap.getLong(at));
                assertEquals(0, heap.getLong(at + 8));
                assertEquals(ValueSlots.STRING, heap.getLong(at + 16));
                assertEquals(ValueSlots.LONG, heap.getLong(at + 32));
                assertEquals(2 - slot, heap.getLong(at + 40));
            }
        });
        for (int i = 0; i < 40; i++) {
            map.put("c" + i, (long) i);
        }
        assertEquals(new BPlusTree.Shape(2, 2, 1, 42), map.checkInvariants(), "the 42nd key split the leaf");
        Hotpot.free(map);
    }

    @Test
    void growsToDepthThreeAndShrinksBackAsLeavesAndInnerNodesEmpty() {
        PersistentSortedMap<Long, String> map = new PersistentSortedMap<>();
        List<Long> keys = new ArrayList<>();
        for (long k = 0; k < 6000; k++) {
            map.put(k * 3, "v" + k);
            keys.add(k * 3);
        }
        BPlusTree.Shape ascending = map.checkInvariants();
        assertEquals(3, ascending.depth(), "ascending puts fill leaves: 6000 keys in " + ascending);
        assertTrue(ascending.leaves() <= 6000 / BPlusNode.LEAF_CAPACITY + 2, "appends leave full leaves: " + ascending);
        Random random = new Random(3);
        for (int i = 0; i < 3000; i++) {
            long k = random.nextInt(18000);
            if (map.put(k, "r" + i) == null) {
                keys.add(k);
            }
        }
        map.checkInvariants();
        Collections.shuffle(keys, random);
        long innerNodes = map.checkInvariants().innerNodes();
        int depth = 3;
        for (int i = 0; i < keys.size(); i++) {
            assertNotNull(map.remove(keys.get(i)), "key " + keys.get(i));
            if (i % 400 == 0 || i > keys.size() - 50) {
                BPlusTree.Shape shape = map.checkInvariants();
                assertEquals(keys.size() - i - 1, shape.entries());
                assertTrue(shape.innerNodes() <= innerNodes && shape.depth() <= depth, "the tree never grows on removals");
                innerNodes = shape.innerNodes();
                depth = shape.depth();
            }
        }
        assertEquals(0, depth, "the last removal freed the last leaf");
        assertTrue(map.isEmpty());
        map.put(1L, "the map works again");
        assertEquals(1, map.checkInvariants().depth());
        Hotpot.free(map);
    }

    @Test
    void rolledBackTransactionsLeaveTheTreeExactlyAsItWas() {
        PersistentSortedMap<String, Object> map = new PersistentSortedMap<>();
        PersistentSortedMap<String, String> witness = new PersistentSortedMap<>();
        TreeMap<String, Object> expected = new TreeMap<>();
        for (int i = 0; i < 2500; i++) {
            expected.put("key" + (i * 7919 % 10007), "välue " + i + " \uD83D\uDE00");
        }
        map.putAll(expected);
        BPlusTree.Shape before = map.checkInvariants();
        assertTrue(before.depth() >= 2, before.toString());
        for (int round = 0; round < 40; round++) {
            int r = round;
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
                for (int i = 0; i < 1500; i++) {
                    map.put("new" + r + "-" + i, "fresh " + i);
                }
                map.put("key3", "overwritten");
                map.subMap("key2", "key5").clear();
                map.pollFirstEntry();
                if (r % 4 == 0) {
                    map.clear();
                }
                witness.put("lost" + r, "never committed");
                throw new IllegalStateException("roll back round " + r);
            }));
            assertEquals("roll back round " + r, thrown.getMessage());
            assertEquals(before, map.checkInvariants(), "same tree shape after rolled-back round " + r);
            assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(map.entrySet()), "round " + r);
            String changed = "committed " + r;
            String key = expected.ceilingKey("key" + (r * 97));
            map.put(key, changed);
            expected.put(key, changed);
            witness.put("kept" + r, "witness " + r + " ".repeat(r));
            before = map.checkInvariants();
        }
        assertEquals(expected, map);
        assertEquals(40, witness.size());
        for (int r = 0; r < 40; r++) {
            assertEquals("witness " + r + " ".repeat(r), witness.get("kept" + r), "a string freed twice was reused");
        }
        Hotpot.free(map);
        Hotpot.free(witness);
    }

    @Test
    void refusedKeysAndValuesLeaveTheMapUnchangedEvenInsideACommittingTransaction() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        PersistentSortedMap<Object, Object> map = new PersistentSortedMap();
        map.put("a", "old string");
        map.put("b", 2L);
        String address = "address=" + map.hotpot$address;
        Hotpot.transaction(() -> {
            IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> map.put("a", new ArrayList<>()));
            assertTrue(value.getMessage().contains("class=java.util.ArrayList") && value.getMessage().contains(address),
                    value.getMessage());
            IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> map.put(new Object(), 1));
            assertTrue(key.getMessage().contains("key of class=java.lang.Object") && key.getMessage().contains(address),
                    key.getMessage());
            IllegalArgumentException enumKey = assertThrows(IllegalArgumentException.class,
                    () -> map.put(java.time.DayOfWeek.MONDAY, 1));
            assertTrue(enumKey.getMessage().contains(address), enumKey.getMessage());
            ClassCastException otherKind = assertThrows(ClassCastException.class, () -> map.put(5L, "five"));
            assertTrue(otherKind.getMessage().contains("java.lang.Long") && otherKind.getMessage().contains(address)
                    && otherKind.getMessage().contains("String keys"), otherKind.getMessage());
            NullPointerException nullKey = assertThrows(NullPointerException.class, () -> map.put(null, 1));
            assertTrue(nullKey.getMessage().contains(address), nullKey.getMessage());
            assertThrows(IllegalArgumentException.class, () -> map.entrySet().iterator().next().setValue(new StringBuilder()));
            assertThrows(IllegalArgumentException.class, () -> map.headMap("b").put("c", 1), "out of the view's range");
            assertThrows(ClassCastException.class, () -> map.get(5L));
            assertThrows(ClassCastException.class, () -> map.ceilingKey(5));
            assertThrows(ClassCastException.class, () -> map.get(List.of()));
            assertThrows(NullPointerException.class, () -> map.get(null));
        });
        assertThrows(IllegalArgumentException.class, () -> map.putAll(new TreeMap<>(Map.of("c", 3, "d", new Object()))));
        assertEquals(Map.of("a", "old string", "b", 2L), Map.copyOf(map));
        assertFalse(map.entrySet().contains(new AbstractMap.SimpleEntry<>(5L, 1)), "a foreign key is simply absent");
        map.checkInvariants();
        map.clear();
        map.put(5L, "an empty map takes keys of any one class");
        assertEquals("an empty map takes keys of any one class", map.get(5L));
        Hotpot.free(map);
    }

    @Test
    void aNewMapIsEmptyAndViewsBehaveAsTreeMapViews() {
        PersistentSortedMap<Integer, String> map = new PersistentSortedMap<>();
        assertTrue(map.isEmpty());
        assertEquals(0, map.size());
        assertNull(map.firstEntry());
        assertNull(map.pollLastEntry());
        assertThrows(NoSuchElementException.class, map::firstKey);
        assertThrows(NoSuchElementException.class, () -> map.keySet().iterator().next());
        assertNull(map.comparator());
        assertEquals(Collections.reverseOrder(), map.descendingMap().comparator());
        assertEquals("{}", map.toString());
        TreeMap<Integer, String> model = new TreeMap<>();
        for (int i = 0; i < 100; i += 2) {
            model.put(i, "v" + i);
            map.put(i, "v" + i);
        }
        NavigableMap<Integer, String> view = map.subMap(10, true, 40, false).descendingMap();
        NavigableMap<Integer, String> modelView = model.subMap(10, true, 40, false).descendingMap();
        assertEquals(modelView.toString(), view.toString());
        assertEquals(modelView.firstKey(), view.firstKey());
        assertEquals(modelView.headMap(20).toString(), view.headMap(20).toString());
        assertEquals(new ArrayList<>(modelView.navigableKeySet().tailSet(20, false)),
                new ArrayList<>(view.navigableKeySet().tailSet(20, false)));
        assertThrows(IllegalArgumentException.class, () -> view.subMap(10, 30), "descending from 10 to 30 is backwards");
        assertThrows(IllegalArgumentException.class, () -> view.tailMap(50), "outside the view");
        view.put(11, "odd");
        modelView.put(11, "odd");
        assertEquals(model, map);
        Map.Entry<Integer, String> first = map.firstEntry();
        assertThrows(UnsupportedOperationException.class, () -> first.setValue("no"), "snapshots are immutable");
        for (Map.Entry<Integer, String> entry : map.tailMap(90).entrySet()) {
            entry.setValue(entry.getValue() + "!");
        }
        assertEquals("v90!", map.get(90));
        assertEquals(5, map.headMap(10).size());
        map.headMap(10).clear();
        assertEquals(10, map.firstKey());
        Hotpot.free(map);
    }

    @Test
    void combinedDefaultsAreOneTransaction() {
        PersistentSortedMap<String, Integer> map = new PersistentSortedMap<>();
        assertNull(map.putIfAbsent("a", 1));
        assertEquals(1, map.putIfAbsent("a", 2));
        assertTrue(map.replace("a", 1, 5));
        assertEquals(6, map.compute("a", (k, v) -> v + 1));
        assertEquals(8, map.merge("a", 2, Integer::sum));
        assertThrows(IllegalStateException.class, () -> map.compute("a", (k, v) -> {
            map.put("side effect", 1);
            throw new IllegalStateException("the remapping failed");
        }));
        assertEquals(Map.of("a", 8), Map.copyOf(map), "the failed compute rolled back its side effect");
        Hotpot.free(map);
    }

    @Test
    void anIterationBegunInATransactionGoesOnInOrderInItOutsideItAndInTheNextOne() {
        PersistentSortedMap<Long, Long> map = new PersistentSortedMap<>();
        TreeMap<Long, Long> expected = new TreeMap<>();
        for (long i = 0; i < 700; i += 2) {
            map.put(i, -i);
            expected.put(i, -i);
        }
        assertEquals(new ArrayList<>(expected.tailMap(101L, true).values()),
                Hotpot.transaction(() -> new ArrayList<>(map.tailMap(101L, true).values())));
        assertEquals(new ArrayList<>(expected.descendingMap().headMap(33L, false).entrySet()),
                Hotpot.transaction(() -> new ArrayList<>(map.descendingMap().headMap(33L, false).entrySet())));

        List<Long> seen = new ArrayList<>();
        Iterator<Long> keys = Hotpot.transaction(() -> {
            Iterator<Long> it = map.keySet().iterator();
            for (int i = 0; i < 100; i++) {
                seen.add(it.next());
            }
            return it;
        });
        for (int i = 0; i < 100; i++) {
            seen.add(keys.next());
        }
        Hotpot.transaction(() -> {
            map.put(1_000L, 0L);
            while (keys.hasNext()) {
                seen.add(keys.next());
            }
        });
        expected.put(1_000L, 0L);
        assertEquals(new ArrayList<>(expected.keySet()), seen);
        Hotpot.free(map);
    }

    @Test
    void iterationInsideATransactionSeesTheTransactionsOwnChanges() {
        PersistentSortedMap<Long, Long> map = new PersistentSortedMap<>();
        for (long i = 0; i < 500; i++) {
            map.put(i, i);
        }
        List<Long> seen = Hotpot.transaction(() -> {
            List<Long> keys = new ArrayList<>();
            for (Iterator<Long> it = map.keySet().iterator(); it.hasNext(); ) {
                long key = it.next();
                keys.add(key);
                map.remove(key + 1);
                if (key < 500 && key % 100 == 0) {
                    map.put(key + 1000, 0L);
                }
            }
            return keys;
        });
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 500; i += 2) {
            expected.add(i);
        }
        for (long i = 1000; i < 1500; i += 100) {
            expected.add(i);
        }
        assertEquals(expected, seen, "each removal ahead of the iteration and each insert behind it was seen");
        assertEquals(expected, new ArrayList<>(map.keySet()));
        map.checkInvariants();
        Hotpot.free(map);
    }

    @Test
    @Timeout(60)
    void iterationIsWeaklyConsistentWhileAnotherThreadInsertsAndRemoves() throws Exception {
        PersistentSortedMap<Long, String> map = new PersistentSortedMap<>();
        List<Long> stable = new ArrayList<>();
        for (long k = 0; k < 8000; k += 4) {
            stable.add(k);
        }
        Hotpot.transaction(() -> stable.forEach(k -> map.put(k, "stable")));
        AtomicBoolean done = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            Future<Integer> writer = pool.submit(() -> {
                Random random = new Random(4);
                int transactions = 0;
                while (!done.get()) {
                    long base = random.nextInt(8000);
                    Hotpot.transaction(() -> {
                        for (long k = base; k < base + 200; k++) {
                            if (k % 4 != 0) {
                                map.put(k, "churn");
                            }
                        }
                        for (long k = 8000 + base; k < 8000 + base + 300; k++) {
                            map.put(k, "tail");
                        }
                    });
                    Hotpot.transaction(() -> {
                        for (Iterator<Long> keys = map.subMap(base + 50, base + 400).keySet().iterator(); keys.hasNext(); ) {
                            if (keys.next() % 4 != 0) {
                                keys.remove();
                            }
                        }
                        map.tailMap(8000L + random.nextInt(8000)).clear();
                    });
                    transactions += 2;
                }
                return transactions;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int iterations = 0;
            try {
                while (System.nanoTime() < deadline || iterations < 6) {
                    boolean descending = iterations % 2 == 1;
                    NavigableMap<Long, String> view = iterations % 3 == 2 ? map.subMap(1000L, true, 7000L, true) : map;
                    List<Long> seen = new ArrayList<>(descending ? view.descendingKeySet() : view.keySet());
                    for (int i = 1; i < seen.size(); i++) {
                        assertTrue(descending ? seen.get(i - 1) > seen.get(i) : seen.get(i - 1) < seen.get(i),
                                "order at " + i + ": " + seen.get(i - 1) + ", " + seen.get(i));
                    }
                    java.util.Set<Long> seenSet = new java.util.HashSet<>(seen);
                    for (long k : stable) {
                        assertTrue(seenSet.contains(k) || (view != map && (k < 1000 || k > 7000)), "stable key " + k + " missed");
                    }
                    iterations++;
                }
            } finally {
                done.set(true);
            }
            assertTrue(writer.get(30, TimeUnit.SECONDS) > 0);
        }
        map.checkInvariants();
        Hotpot.free(map);
    }

    @Test
    @Timeout(120)
    void fullScansFinishAgainstAWriterThatNeverPauses() throws Exception {
        PersistentSortedMap<Long, String> map = new PersistentSortedMap<>();
        int stable = 20_000;
        for (long from = 0; from < 2L * stable; from += 2000) {
            long start = from;
            Hotpot.transaction(() -> {
                for (long k = start; k < start + 2000; k += 2) {
                    map.put(k, "stable");
                }
            });
        }
        AtomicBoolean done = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            // Single-key commits all over the key range, back to back: every leaf keeps changing.
            Future<Integer> writer = pool.submit(() -> {
                Random random = new Random(5);
                int commits = 0;
                while (!done.get()) {
                    long odd = 2L * random.nextInt(stable) + 1;
                    if (random.nextBoolean()) {
                        map.put(odd, "churn");
                    } else {
                        map.remove(odd);
                    }
                    commits++;
                }
                return commits;
            });
            try {
                for (int scan = 0; scan < 3; scan++) {
                    List<Map.Entry<Long, String>> inOneTransaction = Hotpot.transaction(() -> {
                        List<Map.Entry<Long, String>> entries = new ArrayList<>();
                        map.forEach((k, v) -> entries.add(Map.entry(k, v)));
                        return entries;
                    });
                    assertEquals(stable, inOneTransaction.stream().filter(e -> e.getKey() % 2 == 0).count(),
                            "a full scan in one transaction sees every stable key");
                    List<Long> iterated = new ArrayList<>(map.descendingKeySet());
                    assertEquals(stable, iterated.stream().filter(k -> k % 2 == 0).count(),
                            "a full iteration outside a transaction sees every stable key");
                }
            } finally {
                done.set(true);
            }
            assertTrue(writer.get(30, TimeUnit.SECONDS) > 0, "the writer committed while the scans ran");
        }
        map.checkInvariants();
        Hotpot.free(map);
    }

    @Test
    @Timeout(60)
    void concurrentInsertsOfDisjointKeysFromFourThreadsLoseNothing() throws Exception {
        PersistentSortedMap<String, Integer> map = new PersistentSortedMap<>();
        int perThread = 2500;
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // Interleaved keys: the threads split the same leaves all the time.
                        map.put(String.format("key%06d", i * 4 + thread), thread);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(50, TimeUnit.SECONDS);
            }
        }
        assertEquals(4 * perThread, map.size());
        assertEquals(4 * perThread, map.checkInvariants().entries());
        int i = 0;
        for (Map.Entry<String, Integer> entry : map.entrySet()) {
            assertEquals(String.format("key%06d", i), entry.getKey());
            assertEquals(i % 4, entry.getValue());
            i++;
        }
        Hotpot.free(map);
    }

    @Test
    @Timeout(120)
    void aReopenedHeapHoldsTheSameMap(@TempDir Path dir) throws Exception {
        for (String phase : List.of("write", "read")) {
            try (ChildJvm child = ChildJvm.start(SortedMapRestartChild.class, dir.toString(), phase)) {
                String line = child.await(phase.toUpperCase(java.util.Locale.ROOT), Duration.ofSeconds(90));
                assertTrue(line.endsWith(" OK"), line + "\n" + child.transcript());
                child.awaitSuccess(Duration.ofSeconds(30));
            }
        }
    }
}
