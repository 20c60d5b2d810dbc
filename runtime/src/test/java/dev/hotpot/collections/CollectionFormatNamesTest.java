package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.SchemaRegistry;
import dev.hotpot.testing.DefaultHeapForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The names the collections' layouts are stored under belong to the on-disk format (docs/format.md). */
class CollectionFormatNamesTest {
    private static final Map<String, ClassLayout> FORMAT_NAMES = Map.ofEntries(
            Map.entry("dev.hotpot.PersistentMap", PersistentMap.LAYOUT),
            Map.entry("dev.hotpot.PersistentSortedMap", PersistentSortedMap.LAYOUT),
            Map.entry("dev.hotpot.PersistentList", PersistentList.LAYOUT),
            Map.entry("dev.hotpot.PersistentArray", PersistentArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentLongArray", PersistentLongArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentIntArray", PersistentIntArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentDoubleArray", PersistentDoubleArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentFloatArray", PersistentFloatArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentShortArray", PersistentShortArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentCharArray", PersistentCharArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentByteArray", PersistentByteArray.LAYOUT),
            Map.entry("dev.hotpot.PersistentBooleanArray", PersistentBooleanArray.LAYOUT));

    @BeforeAll
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    @Test
    void everyCollectionIsStoredUnderItsFormatName() {
        FORMAT_NAMES.forEach((name, layout) -> assertEquals(name, layout.className()));
    }

    @Test
    void aNewCollectionRegistersItsLayoutUnderItsFormatName() {
        Hotpot.transaction(() -> {
            Hotpot.free(new PersistentMap<String, String>());
            Hotpot.free(new PersistentList<String>());
            Hotpot.free(new PersistentLongArray(1));
        });
        Set<String> stored = new SchemaRegistry(Hotpot.heap()).entries().stream()
                .map(entry -> entry.layout().className()).collect(Collectors.toSet());
        assertTrue(stored.containsAll(Set.of("dev.hotpot.PersistentMap", "dev.hotpot.PersistentList",
                "dev.hotpot.PersistentLongArray")), stored.toString());
    }
}
