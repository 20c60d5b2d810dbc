package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.DefaultHeapForTests;
import dev.hotpot.testing.RandomValues;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class PersistentMapTest {
    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    @SuppressWarnings("unchecked")
    private static <K, V> PersistentMap<K, V> mapRoot(String name) {
        return Hotpot.root(name, PersistentMap.class, PersistentMap::new);
    }

    @Test
    @Timeout(60)
    void matchesHashMapThroughThousandsOfRandomOperations() {
        RandomValues.runSeeded(random -> runAgainstModel(random, 15000));
    }

    private static void runAgainstModel(Random random, int operations) {
        PersistentMap<Object, Object> map = mapRoot("model-map");
        Map<Object, Object> model = new HashMap<>();
        RandomValues values = new RandomValues(random);
        int largest = 0;
        for (int op = 0; op < operations; op++) {
            Object key = values.key(400);
            int choice = random.nextInt(100);
            if (choice < 40) {
                Object value = values.value();
                assertEquals(model.put(key, value), map.put(key, value), "put " + key);
            } else if (choice < 52) {
                assertEquals(model.get(key), map.get(key), "get " + key);
            } else if (choice < 62) {
                assertEquals(model.remove(key), map.remove(key), "remove " + key);
            } else if (choice < 68) {
                assertEquals(model.containsKey(key), map.containsKey(key), "containsKey " + key);
            } else if (choice < 71) {
                Object value = values.plainValue();
                assertEquals(model.containsValue(value), map.containsValue(value), "containsValue " + value);
            } else if (choice < 75) {
                assertEquals(model.keySet().remove(key), map.keySet().remove(key), "keySet().remove " + key);
            } else if (choice < 78) {
                Map<Object, Object> more = new HashMap<>();
                for (int i = random.nextInt(40); i > 0; i--) {
                    more.put(values.key(400), values.plainValue());
                }
                model.putAll(more);
                map.putAll(more);
            } else if (choice < 80) {
                int divisor = 2 + random.nextInt(6);
                removeThroughIterator(map, k -> Objects.hashCode(k) % divisor == 0);
                model.keySet().removeIf(k -> Objects.hashCode(k) % divisor == 0);
            } else if (choice < 82) {
                Object value = values.plainValue();
                int divisor = 2 + random.nextInt(6);
                for (Map.Entry<Object, Object> entry : map.entrySet()) {
                    if (Objects.hashCode(entry.getKey()) % divisor == 0) {
                        assertEquals(model.put(entry.getKey(), value), entry.setValue(value), "setValue");
                    }
                }
            } else if (choice < 84) {
                Object value = Objects.requireNonNullElse(values.plainValue(), "merge refuses null");
                assertEquals(model.merge(key, value, (a, b) -> b), map.merge(key, value, (a, b) -> b), "merge");
            } else if (choice < 85 && random.nextInt(20) == 0) {
                model.clear();
                map.clear();
            } else {
                assertEquals(model.getOrDefault(key, "absent"), map.getOrDefault(key, "absent"), "getOrDefault");
            }
            assertEquals(model.size(), map.size(), "size after operation " + op);
            largest = Math.max(largest, model.size());
            if (op % 300 == 0 || op == operations - 1) {
                assertSameMappings(model, map);
            }
        }
        assertTrue(largest > 192, "the table doubled at least five times (16 to 512 buckets): largest=" + largest);
    }

    private static void removeThroughIterator(PersistentMap<Object, Object> map, java.util.function.Predicate<Object> doomed) {
        for (Iterator<Object> keys = map.keySet().iterator(); keys.hasNext(); ) {
            if (doomed.test(keys.next())) {
                keys.remove();
            }
        }
    }

    private static void assertSameMappings(Map<Object, Object> model, PersistentMap<Object, Object> map) {
        Map<Object, Object> copy = new HashMap<>();
        int entries = 0;
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
            copy.put(entry.getKey(), entry.getValue());
            entries++;
        }
        assertEquals(model.size(), entries, "entries seen by an iteration");
        assertEquals(model, copy);
        assertTrue(map.equals(model), "PersistentMap.equals(HashMap)");
        assertEquals(model, map, "HashMap.equals(PersistentMap)");
        assertEquals(model.hashCode(), map.hashCode());
        assertEquals(new HashMap<>(model).keySet(), map.keySet());
    }

    @Test
    void rolledBackChangesLeaveTheMapExactlyAsItWas() {
        PersistentMap<String, Object> map = mapRoot("rollback-map");
        PersistentMap<String, String> witness = mapRoot("rollback-witness");
        Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            expected.put("key" + i, "välue " + i + " \uD83D\uDE00");
        }
        map.putAll(expected);
        for (int round = 0; round < 150; round++) {
            int r = round;
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
                for (int i = 0; i < 40; i++) {
                    map.put("new" + r + "-" + i, "fresh " + i);
                }
                map.put("key3", "overwritten");
                map.remove("key7");
                if (r % 10 == 0) {
                    map.clear();
                }
                witness.put("lost" + r, "never committed");
                throw new IllegalStateException("roll back round " + r);
            }));
            assertEquals("roll back round " + r, thrown.getMessage());
            assertEquals(expected, new HashMap<>(map), "after rolled-back round " + r);
            String changed = "committed " + r + " ü";
            map.put("key" + (r % 30), changed);
            expected.put("key" + (r % 30), changed);
            witness.put("kept" + r, "witness " + r + " ".repeat(r));
        }
        assertEquals(expected, new HashMap<>(map));
        assertEquals(150, witness.size());
        for (int r = 0; r < 150; r++) {
            assertEquals("witness " + r + " ".repeat(r), witness.get("kept" + r), "a string freed twice was reused");
        }
    }

    @Test
    void refusedKeysAndValuesLeaveTheMapUnchangedEvenInsideACommittingTransaction() {
        PersistentMap<Object, Object> map = mapRoot("refusals-map");
        map.put("a", "old string");
        Hotpot.transaction(() -> {
            IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                    () -> map.put("a", new ArrayList<>()));
            assertTrue(value.getMessage().contains("class=java.util.ArrayList"), value.getMessage());
            assertTrue(value.getMessage().contains("PersistentMap at address=" + map.hotpot$address), value.getMessage());
            IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> map.put(new Object(), 1));
            assertTrue(key.getMessage().contains("key of class=java.lang.Object"), key.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> map.entrySet().iterator().next().setValue(new StringBuilder("no")));
        });
        assertEquals(Map.of("a", "old string"), new HashMap<>(map));
        assertNull(map.get(new Object()), "a key that cannot be stored is simply absent");
        assertFalse(map.containsKey(List.of()));
        assertNull(map.remove(new Object()));
        map.put("a", "new string");
        assertEquals("new string", map.get("a"));
    }

    @Test
    void rootComesBackAsTheSameHandle() {
        PersistentMap<String, Integer> first = mapRoot("same-handle-map");
        first.put("x", 1);
        PersistentMap<String, Integer> again = mapRoot("same-handle-map");
        assertSame(first, again);
        assertEquals(1, again.get("x"));
    }

    @Test
    void mapsOfListsAndListsOfMapsNest() {
        PersistentMap<String, PersistentList<Object>> byName = mapRoot("nested-map");
        PersistentList<Object> fruits = byName.computeIfAbsent("fruits", name -> new PersistentList<>());
        fruits.add("apple");
        fruits.add(RandomValues.Color.RED);
        PersistentMap<String, Integer> inner = new PersistentMap<>(Map.of("weight", 3));
        fruits.add(inner);
        assertSame(fruits, byName.get("fruits"));
        assertSame(fruits, byName.computeIfAbsent("fruits", name -> fail("present, so not computed")));
        assertEquals(List.of("apple", RandomValues.Color.RED, Map.of("weight", 3)), byName.get("fruits"));
        assertSame(inner, byName.get("fruits").get(2));
        inner.merge("weight", 4, Integer::sum);
        assertEquals(7, ((Map<?, ?>) byName.get("fruits").get(2)).get("weight"));
        assertEquals("{fruits=[apple, RED, {weight=7}]}", byName.toString());
    }

    @Test
    void combinedDefaultsAreOneTransaction() {
        PersistentMap<String, Integer> map = mapRoot("defaults-map");
        assertNull(map.putIfAbsent("a", 1));
        assertEquals(1, map.putIfAbsent("a", 2));
        assertTrue(map.replace("a", 1, 5));
        assertFalse(map.remove("a", 1));
        assertEquals(6, map.compute("a", (k, v) -> v + 1));
        assertNull(map.computeIfPresent("missing", (k, v) -> 1));
        assertThrows(IllegalStateException.class, () -> map.compute("a", (k, v) -> {
            map.put("side effect", 1);
            throw new IllegalStateException("the remapping failed");
        }));
        assertEquals(Map.of("a", 6), new HashMap<>(map), "the failed compute rolled back its side effect");
        map.replaceAll((k, v) -> v * 10);
        assertEquals(60, map.get("a"));
    }

    @Test
    void iteratorsFailFastWhenTheMapChangesBehindThem() {
        PersistentMap<Integer, Integer> map = mapRoot("fail-fast-map");
        for (int i = 0; i < 5; i++) {
            map.put(i, i);
        }
        Iterator<Integer> keys = map.keySet().iterator();
        keys.next();
        map.put(99, 99);
        ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class, keys::next);
        assertTrue(e.getMessage().contains("address=" + map.hotpot$address), e.getMessage());
        Iterator<Map.Entry<Integer, Integer>> entries = map.entrySet().iterator();
        assertThrows(IllegalStateException.class, entries::remove);
        Hotpot.transaction(() -> {
            for (Iterator<Map.Entry<Integer, Integer>> it = map.entrySet().iterator(); it.hasNext(); ) {
                if (it.next().getKey() % 2 == 1) {
                    it.remove();
                }
            }
        });
        assertEquals(Map.of(0, 0, 2, 2, 4, 4), new HashMap<>(map));
    }

    @Test
    void equalsAndHashCodeFollowTheMapContract() {
        PersistentMap<String, Object> map = new PersistentMap<>();
        Map<String, Object> plain = new HashMap<>();
        plain.put("nothing", null);
        plain.put("one", 1L);
        map.putAll(plain);
        assertEquals(plain, map);
        assertEquals(map, plain);
        assertEquals(plain.hashCode(), map.hashCode());
        assertNotEquals(map, Map.of("one", 1L, "other", 2L));
        assertNotEquals(map, Map.of("one", 1));
        assertEquals(map, new PersistentMap<>(plain));
        assertNotSame(map, new PersistentMap<>(plain));
        assertTrue(map.containsKey("nothing"));
        assertTrue(map.containsValue(null));
        Hotpot.free(map);
    }

    @Test
    void concurrentMergesFromManyThreadsAllCount() throws Exception {
        PersistentMap<String, Integer> counts = mapRoot("concurrent-map");
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                int id = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        counts.merge("shared", 1, Integer::sum);
                        counts.put("thread-" + id + "-" + i, i);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(800, counts.get("shared"));
        assertEquals(801, counts.size());
    }
}
