package dev.hotpot.collections;

import dev.hotpot.Durability;
import dev.hotpot.Hotpot;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.DefaultHeapForTests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Child JVM of {@code PersistentSortedMapTest.aReopenedHeapHoldsTheSameMap}. Arguments: dir phase.
 * Phase {@code write} fills a root {@link PersistentSortedMap} to depth 3 in several transactions,
 * removes part of it and exits normally (closing the heap); phase {@code read} reopens the heap and
 * checks the same content in both directions, the tree's invariants and a nested map. Each prints
 * {@code WRITE ... OK} or {@code READ ... OK}.
 */
public final class SortedMapRestartChild {
    private static final String ROOT = "restart-sorted-map";

    public static void main(String[] args) {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(100));
        DefaultHeapForTests.configure(Path.of(args[0]), null, 32L << 20, Durability.SYNC);
        TreeMap<String, Object> expected = expected();
        @SuppressWarnings("unchecked")
        PersistentSortedMap<String, Object> map = Hotpot.root(ROOT, PersistentSortedMap.class, PersistentSortedMap::new);
        String result;
        if (args[1].equals("write")) {
            for (int from = 0; from < 6000; from += 1000) {
                TreeMap<String, Object> chunk = new TreeMap<>();
                for (int i = from; i < from + 1000; i++) {
                    chunk.put(key(i), value(i));
                }
                map.putAll(chunk);
            }
            for (int i = 0; i < 6000; i += 3) {
                map.remove(key(i));
            }
            map.put("nested", new PersistentSortedMap<>(Map.of(1L, "one")));
            result = "WRITE size=" + map.size() + " " + (sameContent(expected, map) ? "OK" : "MISMATCH");
        } else {
            BPlusTree.Shape shape = map.checkInvariants();
            boolean ok = sameContent(expected, map) && shape.depth() >= 3 && shape.entries() == expected.size() + 1;
            result = "READ " + shape + " " + (ok ? "OK" : "MISMATCH");
        }
        System.out.println(result);
        System.out.flush();
        System.exit(0);
    }

    /** Ordered keys (their order differs from the index order) and values of several kinds. */
    private static String key(int i) {
        return "user" + Long.toUnsignedString((i * 0x9E3779B97F4A7C15L) >>> 1);
    }

    private static Object value(int i) {
        return switch (i % 4) {
            case 0 -> null;
            case 1 -> "välue " + i;
            case 2 -> (long) i;
            default -> i / 2.0;
        };
    }

    private static TreeMap<String, Object> expected() {
        TreeMap<String, Object> expected = new TreeMap<>();
        for (int i = 0; i < 6000; i++) {
            if (i % 3 != 0) {
                expected.put(key(i), value(i));
            }
        }
        return expected;
    }

    private static boolean sameContent(TreeMap<String, Object> expected, PersistentSortedMap<String, Object> map) {
        TreeMap<String, Object> ascending = new TreeMap<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            ascending.put(entry.getKey(), entry.getValue());
        }
        Object nested = ascending.remove("nested");
        ArrayList<String> descending = new ArrayList<>(map.descendingKeySet());
        descending.remove("nested");
        return nested instanceof PersistentSortedMap<?, ?> inner && inner.equals(Map.of(1L, "one"))
                && ascending.equals(expected) && descending.equals(new ArrayList<>(expected.descendingKeySet()));
    }
}
