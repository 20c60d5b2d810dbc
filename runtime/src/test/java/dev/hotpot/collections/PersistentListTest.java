package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.DefaultHeapForTests;
import dev.hotpot.testing.RandomValues;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PersistentListTest {
    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    @SuppressWarnings("unchecked")
    private static <E> PersistentList<E> listRoot(String name) {
        return Hotpot.root(name, PersistentList.class, PersistentList::new);
    }

    @Test
    @Timeout(60)
    void matchesArrayListThroughThousandsOfRandomOperations() {
        RandomValues.runSeeded(random -> runAgainstModel(random, 10000));
    }

    private static void runAgainstModel(Random random, int operations) {
        PersistentList<Object> list = listRoot("model-list");
        List<Object> model = new ArrayList<>();
        RandomValues values = new RandomValues(random);
        int largest = 0;
        for (int op = 0; op < operations; op++) {
            int size = model.size();
            int index = size == 0 ? 0 : random.nextInt(size);
            // Above 400 elements only removals, so shifting whole lists stays cheap.
            int choice = size > 400 ? 58 + random.nextInt(8) : random.nextInt(100);
            if (choice < 30) {
                Object value = values.value();
                assertEquals(model.add(value), list.add(value));
            } else if (choice < 42) {
                Object value = values.value();
                int at = random.nextInt(size + 1);
                model.add(at, value);
                list.add(at, value);
            } else if (choice < 50 && size > 0) {
                Object value = values.value();
                assertEquals(model.set(index, value), list.set(index, value), "set " + index);
            } else if (choice < 58 && size > 0) {
                assertEquals(model.get(index), list.get(index), "get " + index);
            } else if (choice < 66 && size > 0) {
                assertEquals(model.remove(index), list.remove(index), "remove " + index);
            } else if (choice < 70) {
                Object value = values.plainValue();
                assertEquals(model.remove(value), list.remove(value), "remove " + value);
            } else if (choice < 75) {
                Object value = values.plainValue();
                assertEquals(model.indexOf(value), list.indexOf(value), "indexOf " + value);
                assertEquals(model.lastIndexOf(value), list.lastIndexOf(value), "lastIndexOf " + value);
                assertEquals(model.contains(value), list.contains(value), "contains " + value);
            } else if (choice < 78) {
                int divisor = 2 + random.nextInt(8);
                removeThroughIterator(list, e -> Objects.hashCode(e) % divisor == 0);
                model.removeIf(e -> Objects.hashCode(e) % divisor == 0);
            } else if (choice < 81) {
                editThroughListIterator(list, model, values.plainValue(), random.nextInt(size + 1));
            } else if (choice < 84) {
                List<Object> more = new ArrayList<>();
                for (int i = random.nextInt(30); i > 0; i--) {
                    more.add(values.plainValue());
                }
                int at = random.nextInt(size + 1);
                assertEquals(model.addAll(at, more), list.addAll(at, more));
            } else if (choice < 86) {
                int from = random.nextInt(size + 1);
                int to = from + random.nextInt(Math.min(size - from, 20) + 1);
                model.subList(from, to).clear();
                list.subList(from, to).clear();
            } else if (choice < 87) {
                Comparator<Object> order = Comparator.comparing(String::valueOf);
                model.sort(order);
                list.sort(order);
            } else if (choice < 88 && random.nextInt(10) == 0) {
                model.clear();
                list.clear();
            } else {
                assertEquals(model.isEmpty(), list.isEmpty());
            }
            assertEquals(model.size(), list.size(), "size after operation " + op);
            largest = Math.max(largest, model.size());
            if (op % 250 == 0 || op == operations - 1) {
                assertSameElements(model, list);
            }
        }
        assertTrue(largest > 128, "the slots block doubled at least five times (8 to 256 slots): largest=" + largest);
    }

    private static void removeThroughIterator(PersistentList<Object> list, java.util.function.Predicate<Object> doomed) {
        for (Iterator<Object> it = list.iterator(); it.hasNext(); ) {
            if (doomed.test(it.next())) {
                it.remove();
            }
        }
    }

    /** From {@code start}, sets up to three elements and inserts after each, through a list iterator on each list. */
    private static void editThroughListIterator(List<Object> list, List<Object> model, Object value, int start) {
        for (List<Object> target : List.of(list, model)) {
            ListIterator<Object> it = target.listIterator(start);
            for (int edits = 0; edits < 3 && it.hasNext(); edits++) {
                it.next();
                it.set(value);
                it.add("inserted");
            }
        }
    }

    private static void assertSameElements(List<Object> model, PersistentList<Object> list) {
        assertEquals(model, new ArrayList<>(list));
        assertTrue(list.equals(model), "PersistentList.equals(ArrayList)");
        assertEquals(model, list, "ArrayList.equals(PersistentList)");
        assertEquals(model.hashCode(), list.hashCode());
        assertArrayEquals(model.toArray(), list.toArray());
        List<Object> backwards = new ArrayList<>();
        for (ListIterator<Object> it = list.listIterator(list.size()); it.hasPrevious(); ) {
            backwards.add(it.previous());
        }
        assertEquals(model.reversed(), backwards);
    }

    @Test
    void aListThatHoldsItselfPrintsAsJavaUtilListsDo() {
        PersistentList<Object> list = listRoot("self-list");
        list.add("a");
        list.add(list);
        assertEquals("[a, (this Collection)]", list.toString());
    }

    @Test
    void rolledBackChangesLeaveTheListExactlyAsItWas() {
        PersistentList<String> list = listRoot("rollback-list");
        PersistentList<String> witness = listRoot("rollback-list-witness");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("element " + i + " ∑");
        }
        list.addAll(expected);
        for (int round = 0; round < 150; round++) {
            int r = round;
            assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
                for (int i = 0; i < 30; i++) {
                    list.add(0, "new " + i);
                }
                list.set(25, "overwritten");
                list.remove(3);
                list.subList(2, 9).clear();
                if (r % 10 == 0) {
                    list.clear();
                }
                witness.add("never committed");
                throw new IllegalStateException("roll back round " + r);
            }));
            assertEquals(expected, new ArrayList<>(list), "after rolled-back round " + r);
            String changed = "committed " + r + " é";
            list.set(r % 20, changed);
            expected.set(r % 20, changed);
            witness.add("witness " + r + "!".repeat(r));
        }
        assertEquals(expected, list);
        assertEquals(150, witness.size());
        for (int r = 0; r < 150; r++) {
            assertEquals("witness " + r + "!".repeat(r), witness.get(r), "a string freed twice was reused");
        }
    }

    @Test
    void boundsErrorsAndRefusedElementsLeaveTheListUnchanged() {
        PersistentList<Object> list = new PersistentList<>(List.of("a", "b"));
        IndexOutOfBoundsException get = assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        assertTrue(get.getMessage().contains("2") && get.getMessage().contains("length 2"), get.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> list.set(2, "c"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.add(3, "c"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.remove(2));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> list.add(new Object()));
        assertTrue(refused.getMessage().contains("element of class=java.lang.Object in PersistentList"),
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> list.set(0, new ArrayList<>()));
        assertThrows(IllegalArgumentException.class, () -> list.addAll(Arrays.asList("c", new int[1])));
        assertEquals(List.of("a", "b"), list, "a refused element rolled back the whole addAll");
        Hotpot.free(list);
    }

    @Test
    void rootComesBackAsTheSameHandle() {
        PersistentList<Integer> first = listRoot("same-handle-list");
        first.add(7);
        PersistentList<Integer> again = listRoot("same-handle-list");
        assertSame(first, again);
        assertEquals(List.of(7), again);
    }

    @Test
    void listsOfMapsNest() {
        PersistentList<PersistentMap<String, Object>> rows = listRoot("nested-list");
        for (int i = 0; i < 3; i++) {
            rows.add(new PersistentMap<>(Map.of("id", i, "name", "row " + i)));
        }
        rows.get(1).put("name", "renamed");
        assertEquals(List.of(Map.of("id", 0, "name", "row 0"), Map.of("id", 1, "name", "renamed"),
                Map.of("id", 2, "name", "row 2")), rows);
        PersistentMap<String, Object> removed = rows.remove(0);
        assertEquals(Map.of("id", 0, "name", "row 0"), removed, "removing the reference does not free the map");
        assertEquals(2, rows.size());
    }

    @Test
    void iteratorsFailFastWhenTheListChangesBehindThem() {
        PersistentList<Integer> list = new PersistentList<>(List.of(1, 2, 3));
        Iterator<Integer> it = list.iterator();
        it.next();
        list.add(4);
        assertThrows(ConcurrentModificationException.class, it::next);
        Hotpot.free(list);
    }
}
