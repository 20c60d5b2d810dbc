package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;
import dev.hotpot.object.ValueSlots;
import dev.hotpot.testing.DefaultHeapForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Iterator;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each way a {@link PersistentSortedMap} lets go of its strings, separators and nodes, run until
 * 1.5 times the heap's size has gone through it: had any block leaked, the heap would have filled.
 */
class PersistentSortedMapFreeTest {
    private static final String BIG = "f".repeat(8 << 10);
    /** Mappings per round: several leaves and an inner root. */
    private static final int MAPPINGS = 150;
    /** Mappings per round whose value is {@link #BIG}. */
    private static final int BIG_VALUES = 24;

    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    enum LetGo {
        REMOVE_EACH(emptying(map -> {
            for (String key : new TreeMap<>(map).keySet()) {
                map.remove(key);
            }
        })),
        REMOVE_THROUGH_DESCENDING_ITERATOR(emptying(map -> {
            for (Iterator<String> keys = map.descendingKeySet().iterator(); keys.hasNext(); keys.remove()) {
                keys.next();
            }
        })),
        POLL(emptying(map -> {
            while (map.pollFirstEntry() != null) {
                map.pollLastEntry();
            }
        })),
        CLEAR_RANGES(emptying(map -> {
            map.subMap("key040", "key090").clear();
            map.headMap("key100").clear();
            map.tailMap("key100").clear();
        })),
        CLEAR(emptying(PersistentSortedMap::clear)),
        FREE_MAP(random -> {
            Hotpot.free(filled(random));
            return (long) BIG_VALUES * BIG.length() / 2;
        }),
        REPLACE_VALUES(random -> {
            PersistentSortedMap<Long, String> map = new PersistentSortedMap<>();
            for (int i = 0; i < BIG_VALUES; i++) {
                map.put(7L, BIG);
                map.merge(7L, "!", String::concat);
            }
            Hotpot.free(map);
            return 2L * BIG_VALUES * BIG.length();
        }),
        /** Keys that share 8 KiB: every separator between them is a copy of almost all of a key. */
        BIG_KEYS_AND_SEPARATORS(random -> {
            PersistentSortedMap<String, Long> map = new PersistentSortedMap<>();
            for (int i = 0; i < 90; i++) {
                map.put(BIG + (char) ('A' + random.nextInt(50)) + i, (long) i);
            }
            assertTrue(map.checkInvariants().leaves() > 1, "separators were made");
            for (String key : new TreeMap<>(map).keySet()) {
                map.remove(key);
            }
            freeEmpty(map);
            return 90L * BIG.length();
        }),
        /** Many small mappings: the nodes themselves are what must come back. */
        NODES(random -> {
            PersistentSortedMap<Long, Long> map = new PersistentSortedMap<>();
            for (int i = 0; i < 3000; i++) {
                map.put(random.nextLong(), null);
            }
            long nodes = map.checkInvariants().leaves() * (long) (BPlusNode.BYTES + 8);
            if (random.nextBoolean()) {
                map.headMap(0L).clear();
                map.tailMap(0L).clear();
                freeEmpty(map);
            } else {
                Hotpot.free(map);
            }
            return nodes;
        });

        private final ToLongFunction<Random> round;

        LetGo(ToLongFunction<Random> round) {
            this.round = round;
        }

        /** Makes and lets go of at least the bytes it returns. */
        long round(Random random) {
            return round.applyAsLong(random);
        }

        /** A round that fills a map of strings, lets go of every mapping with {@code empty}, then frees the map. */
        private static ToLongFunction<Random> emptying(Consumer<PersistentSortedMap<String, String>> empty) {
            return random -> {
                PersistentSortedMap<String, String> map = filled(random);
                empty.accept(map);
                return freeEmpty(map);
            };
        }

        static PersistentSortedMap<String, String> filled(Random random) {
            PersistentSortedMap<String, String> map = new PersistentSortedMap<>();
            for (int i = 0; i < MAPPINGS; i++) {
                int k = random.nextInt(200);
                map.put(String.format("key%03d", k), k % (200 / BIG_VALUES) == 0 ? BIG : "small " + i);
            }
            return map;
        }

        static long freeEmpty(PersistentSortedMap<?, ?> map) {
            assertTrue(map.isEmpty());
            assertEquals(0, map.checkInvariants().depth(), "an empty map has no nodes");
            Hotpot.free(map);
            return (long) BIG_VALUES * BIG.length() / 2;
        }
    }

    enum Empty { REMOVE_EACH, CLEAR, FREE }

    /**
     * Separators are too few for a volume test to notice a leak (one per leaf), so this test
     * notes every block of a tree (nodes, key and separator blobs, value blobs) and checks that
     * each is free after the map is emptied or freed.
     */
    @ParameterizedTest
    @EnumSource(Empty.class)
    void emptyingOrFreeingTheMapFreesEveryNodeKeyAndSeparator(Empty how) {
        Heap heap = Hotpot.heap();
        String shared = "s".repeat(1000);
        PersistentSortedMap<String, String> map = new PersistentSortedMap<>();
        Random random = new Random(how.ordinal());
        Hotpot.transaction(() -> {
            for (int i = 0; i < 3000; i++) {
                map.put(shared + random.nextInt(100_000), i % 2 == 0 ? null : "value " + i);
            }
        });
        BPlusTree.Shape shape = map.checkInvariants();
        assertEquals(3, shape.depth(), shape.toString());
        java.util.List<Long> blocks = heap.transaction(() -> treeBlocks(heap, heap.getLong(map.hotpot$address + BPlusTree.ROOT)));
        assertTrue(blocks.size() > shape.entries() * 3 / 2 + shape.leaves(), "nodes, keys, separators and values: " + blocks.size());
        switch (how) {
            case REMOVE_EACH -> {
                java.util.List<String> keys = new java.util.ArrayList<>(map.keySet());
                java.util.Collections.shuffle(keys, random);
                for (String key : keys) {
                    map.remove(key);
                }
                assertEquals(0, map.checkInvariants().depth());
                Hotpot.free(map);
            }
            case CLEAR -> {
                map.clear();
                Hotpot.free(map);
            }
            case FREE -> Hotpot.free(map);
        }
        heap.transaction(() -> {
            for (long block : blocks) {
                IllegalArgumentException freed = assertThrows(IllegalArgumentException.class, () -> heap.usableSize(block));
                assertTrue(freed.getMessage().contains("already freed"), freed.getMessage());
            }
        });
    }

    /** Every block the tree under {@code node} owns: nodes, and the string blobs of keys, separators and values. */
    private static java.util.List<Long> treeBlocks(Heap heap, long node) {
        java.util.List<Long> blocks = new java.util.ArrayList<>();
        blocks.add(node);
        long header = heap.getLong(node);
        int count = BPlusNode.count(header);
        if (BPlusNode.level(header) == 0) {
            for (int slot = 0; slot < BPlusNode.LEAF_CAPACITY; slot++) {
                addString(heap, BPlusNode.slot(node, slot) + BPlusNode.ENTRY_KEY, blocks);
                addString(heap, BPlusNode.slot(node, slot) + BPlusNode.ENTRY_VALUE, blocks);
            }
            return blocks;
        }
        for (int j = 0; j < count - 1; j++) {
            addString(heap, BPlusNode.separator(node, j) + BPlusNode.KEY_SLOT, blocks);
        }
        for (int i = 0; i < count; i++) {
            blocks.addAll(treeBlocks(heap, heap.getLong(BPlusNode.child(node, i))));
        }
        return blocks;
    }

    private static void addString(Heap heap, long slot, java.util.List<Long> blocks) {
        if (heap.getLong(slot) == ValueSlots.STRING) {
            blocks.add(heap.getLong(slot + 8));
        }
    }

    @ParameterizedTest
    @EnumSource(LetGo.class)
    void lettingGoOfStringsAndNodesGivesTheirSpaceBack(LetGo way) {
        Random random = new Random(way.ordinal());
        long target = 3 * DefaultHeapForTests.HEAP_BYTES / 2;
        for (long through = 0; through < target; ) {
            through += Hotpot.transaction(() -> way.round(random));
        }
    }
}
