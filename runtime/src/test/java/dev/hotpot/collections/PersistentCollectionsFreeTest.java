package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.DefaultHeapForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each way a collection lets go of its strings and blocks, run until 1.5 times the heap's size in
 * strings has gone through it: had any of them leaked, the heap would have filled up.
 */
class PersistentCollectionsFreeTest {
    private static final String BIG = "f".repeat(8 << 10);
    private static final int STRINGS_PER_ROUND = 32;

    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    /** One round of a way to let go: makes {@link #STRINGS_PER_ROUND} big strings (or as many bytes) and must release them. */
    enum LetGo {
        FREE_MAP {
            @Override
            void round() {
                Hotpot.free(filledMap());
            }
        },
        REMOVE_MAPPINGS {
            @Override
            void round() {
                PersistentMap<String, String> map = filledMap();
                for (int i = 0; i < STRINGS_PER_ROUND / 2; i++) {
                    assertEquals(BIG, map.remove(i + BIG));
                }
                Hotpot.free(map);
            }
        },
        REMOVE_MAPPINGS_THROUGH_ITERATOR {
            @Override
            void round() {
                PersistentMap<String, String> map = filledMap();
                for (Iterator<String> keys = map.keySet().iterator(); keys.hasNext(); keys.remove()) {
                    keys.next();
                }
                Hotpot.free(map);
            }
        },
        FREE_LIST {
            @Override
            void round() {
                Hotpot.free(filledList());
            }
        },
        REMOVE_ELEMENTS {
            @Override
            void round() {
                PersistentList<String> list = filledList();
                list.subList(0, STRINGS_PER_ROUND / 2).clear();
                while (!list.isEmpty()) {
                    list.remove(list.size() - 1);
                }
                Hotpot.free(list);
            }
        },
        REPLACE_ELEMENTS {
            @Override
            void round() {
                PersistentList<String> list = new PersistentList<>();
                list.add("small");
                for (int i = 0; i < STRINGS_PER_ROUND; i++) {
                    list.set(0, BIG);
                }
                Hotpot.free(list);
            }
        },
        FREE_ARRAY {
            @Override
            void round() {
                PersistentArray<String> array = new PersistentArray<>(STRINGS_PER_ROUND);
                for (int i = 0; i < STRINGS_PER_ROUND; i++) {
                    array.set(i, BIG);
                }
                Hotpot.free(array);
            }
        },
        FREE_PRIMITIVE_ARRAY {
            @Override
            void round() {
                Hotpot.free(new PersistentLongArray(STRINGS_PER_ROUND * BIG.length() / Long.BYTES));
            }
        };

        abstract void round();

        static PersistentMap<String, String> filledMap() {
            PersistentMap<String, String> map = new PersistentMap<>();
            for (int i = 0; i < STRINGS_PER_ROUND / 2; i++) {
                map.put(i + BIG, BIG);
            }
            return map;
        }

        static PersistentList<String> filledList() {
            PersistentList<String> list = new PersistentList<>();
            for (int i = 0; i < STRINGS_PER_ROUND; i++) {
                list.add(BIG);
            }
            return list;
        }
    }

    @ParameterizedTest
    @EnumSource(LetGo.class)
    void lettingGoOfStringsAndBlocksGivesTheirSpaceBack(LetGo way) {
        long rounds = 3 * DefaultHeapForTests.HEAP_BYTES / 2 / (STRINGS_PER_ROUND * (long) BIG.length());
        for (int round = 0; round < rounds; round++) {
            Hotpot.transaction(way::round);
        }
    }
}
