package dev.hotpot.it.kv;

import dev.hotpot.Hotpot;
import dev.hotpot.it.support.AgentHeap;
import dev.hotpot.samples.kv.KvStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key-value sample used directly, with the agent: records, updates, deletes, scans, rollback, threads. */
class KvStoreIT {
    private static final Random SEEDS = new Random();

    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    private static KvStore store(String name) {
        return Hotpot.root("kv-" + name, KvStore.class, KvStore::new);
    }

    @Test
    void recordsKeepTheirFieldsThroughUpdatesOfEveryKind() {
        KvStore store = store("fields");
        assertFalse(store.insert("k", fields("name", "Ada", "city", "London", "empty", "")));
        assertEquals(Map.of("name", "Ada", "city", "London", "empty", ""), text(store.read("k", null)));
        assertEquals(Map.of("city", "London"), text(store.read("k", Set.of("city", "absent"))));

        assertTrue(store.update("k", fields("city", "Berlin")), "same length: rewritten in place");
        assertEquals(Map.of("name", "Ada", "city", "Berlin", "empty", ""), text(store.read("k", null)));
        assertTrue(store.update("k", fields("name", "Grace Hopper", "ünïcödé", "ß")), "longer value and a new field");
        assertEquals(Map.of("name", "Grace Hopper", "city", "Berlin", "empty", "", "ünïcödé", "ß"), text(store.read("k", null)));

        assertTrue(store.insert("k", fields("only", "this")), "an insert replaces the whole record");
        assertEquals(Map.of("only", "this"), text(store.read("k", null)));
        assertFalse(store.update("missing", fields("a", "b")));
        assertNull(store.read("missing", null));
        assertTrue(store.delete("k"));
        assertFalse(store.delete("k"));
        assertNull(store.read("k", null));
        assertEquals(0, store.size());

        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        store.insert("bin", Map.of("b", binary));
        assertArrayEquals(binary, store.read("bin", null).get("b"));
    }

    @Test
    void scansAreOrderedAndCompleteAgainstATreeMap() {
        long seed = SEEDS.nextLong();
        Random random = new Random(seed);
        KvStore store = store("scans");
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            String key = "user" + random.nextInt(1500);
            if (random.nextInt(4) == 0) {
                assertEquals(model.remove(key) != null, store.delete(key), "seed " + seed);
            } else {
                String value = "v" + i;
                store.insert(key, fields("f", value));
                model.put(key, value);
            }
        }
        assertEquals(model.size(), store.size(), "seed " + seed);
        assertEquals(List.copyOf(model.entrySet()), scan(store, "", Integer.MAX_VALUE), "a full scan, seed " + seed);
        for (int i = 0; i < 300; i++) {
            String start = "user" + random.nextInt(1600) + (random.nextBoolean() ? "" : "~");
            int count = random.nextInt(120);
            List<Map.Entry<String, String>> expected = model.tailMap(start, true).entrySet().stream().limit(count).toList();
            assertEquals(expected, scan(store, start, count), "scan from " + start + " count " + count + ", seed " + seed);
        }
        assertEquals(List.of(), scan(store, "z", 10), "past the last key");
    }

    @Test
    void aTransactionThatFailsLeavesEveryRecordAsItWas() {
        KvStore store = store("rollback");
        store.insert("a", fields("f", "1"));
        assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
            store.insert("b", fields("f", "2"));
            store.update("a", fields("f", "9", "g", "new"));
            store.delete("a");
            throw new IllegalStateException("abandon");
        }));
        assertEquals(Map.of("f", "1"), text(store.read("a", null)));
        assertNull(store.read("b", null));
        assertEquals(1, store.size());
    }

    @Test
    void concurrentClientsLoseNoInsertAndNoUpdate() throws Exception {
        KvStore store = store("threads");
        int threads = 4;
        int perThread = 300;
        for (int i = 0; i < 16; i++) {
            store.insert("shared" + i, fields("count", "0"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.insert("t" + thread + "-" + i, fields("n", Integer.toString(i)));
                        String shared = "shared" + (i % 16);
                        Hotpot.transaction(() -> {
                            int count = Integer.parseInt(text(store.read(shared, null)).get("count"));
                            store.update(shared, fields("count", Integer.toString(count + 1)));
                        });
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(16 + threads * perThread, store.size());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertEquals(Map.of("n", Integer.toString(i)), text(store.read("t" + t + "-" + i, null)));
            }
        }
        int total = 0;
        for (int i = 0; i < 16; i++) {
            total += Integer.parseInt(text(store.read("shared" + i, null)).get("count"));
        }
        assertEquals(threads * perThread, total, "read-modify-write transactions lost an update");
    }

    @Test
    void replacedUpdatedAndDeletedRecordsLeaveNoObjectBehind() {
        KvStore store = store("churn");
        long before = objectCount();
        for (int round = 0; round < 40; round++) {
            for (int k = 0; k < 25; k++) {
                String key = "k" + k;
                store.insert(key, fields("a", "x".repeat(round % 7)));
                store.update(key, fields("a", "y".repeat(round % 5 + 1), "b", "z"));
                store.update(key, fields("b", "w"));
            }
        }
        assertEquals(before + 25, objectCount(), "each live record is one object: the array of its encoded fields");
        for (int k = 0; k < 25; k++) {
            assertTrue(store.delete("k" + k));
        }
        assertEquals(before, objectCount(), "replaced, re-encoded and deleted records freed every object they had");
    }

    /** The object blocks of the whole heap (other tests' objects included: they do not change meanwhile). */
    private static long objectCount() {
        long[] count = {0};
        Hotpot.heap().forEachObject(address -> count[0]++);
        return count[0];
    }

    private static List<Map.Entry<String, String>> scan(KvStore store, String start, int count) {
        List<Map.Entry<String, String>> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, byte[]>> record : store.scan(start, count, null)) {
            found.add(Map.entry(record.getKey(), text(record.getValue()).get("f")));
        }
        return found;
    }

    private static Map<String, byte[]> fields(String... namesAndValues) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static Map<String, String> text(Map<String, byte[]> fields) {
        Map<String, String> text = new LinkedHashMap<>();
        fields.forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
        return text;
    }
}
