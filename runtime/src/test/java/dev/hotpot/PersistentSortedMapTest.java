package dev.hotpot;

import dev.hotpot.testing.DefaultHeapForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

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
        BPlusTree.Shape shape = map.checkInvariants();
        assertEquals(model.size(), shape.entries());
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
}
