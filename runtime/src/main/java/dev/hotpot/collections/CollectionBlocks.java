package dev.hotpot.collections;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.object.ValueSlots;

import java.util.Map;

/**
 * The storage of the runtime's collections as offline tools see it, keyed by the name a heap's
 * schema stores each collection class under ({@link BuiltIns#storedName}): the blocks a
 * collection object owns, its value slots, and whether its structure holds the invariants its
 * class states. Nothing here needs the object space or the default heap.
 *
 * <p>Threading: stateless; reads through the reader it is given (inside a transaction of a live heap).
 */
public final class CollectionBlocks {
    /** The stored name of {@link PersistentMap}: the class of a heap's extension table. */
    public static final String MAP = BuiltIns.storedName(PersistentMap.class);

    /** Checks the storage of one collection object, showing what it owns to the visitor. */
    @FunctionalInterface
    private interface StorageCheck {
        void run(HeapReader heap, long object, CollectionVisitor visitor);
    }

    private static final Map<String, StorageCheck> CHECKS = Map.ofEntries(
            Map.entry(MAP, (heap, map, visitor) -> new HashChainsCheck(heap, map, visitor).run()),
            Map.entry(BuiltIns.storedName(PersistentSortedMap.class), CollectionBlocks::checkTree),
            Map.entry(BuiltIns.storedName(PersistentList.class), PersistentList::checkStorage),
            array(PersistentArray.class, ValueSlots.SIZE),
            array(PersistentLongArray.class, Long.BYTES),
            array(PersistentIntArray.class, Integer.BYTES),
            array(PersistentDoubleArray.class, Double.BYTES),
            array(PersistentFloatArray.class, Float.BYTES),
            array(PersistentShortArray.class, Short.BYTES),
            array(PersistentCharArray.class, Character.BYTES),
            array(PersistentByteArray.class, Byte.BYTES),
            array(PersistentBooleanArray.class, Byte.BYTES));

    private CollectionBlocks() {
    }

    /** Whether {@code storedName} is the stored class name of one of the runtime's collections. */
    public static boolean isCollection(String storedName) {
        return CHECKS.containsKey(storedName);
    }

    /**
     * Checks the collection object at {@code object}, of the collection class stored as
     * {@code storedName}: every block it owns and every value slot go to {@code visitor} before
     * they are read, and so does every broken invariant.
     */
    public static void check(HeapReader heap, String storedName, long object, CollectionVisitor visitor) {
        StorageCheck check = CHECKS.get(storedName);
        if (check == null) {
            throw new IllegalArgumentException(storedName + " is not a collection class");
        }
        check.run(heap, object, visitor);
    }

    /**
     * Removes the mapping at {@code entry} (as {@link CollectionVisitor#mapping} found it) from the
     * {@link PersistentMap} at {@code map}, in the open or its own transaction, without handles:
     * for a collector that runs without the object space.
     */
    public static void removeMapping(Heap heap, long map, long entry) {
        heap.transaction(() -> new HashChains(heap, map).remove(entry));
    }

    private static void checkTree(HeapReader heap, long map, CollectionVisitor visitor) {
        try {
            new BPlusTreeCheck(heap, map, visitor).run();
        } catch (BPlusTreeCheck.Violation e) {
            visitor.problem(e.address(), e.getMessage());
        }
    }

    private static Map.Entry<String, StorageCheck> array(Class<? extends ArrayBase> type, int elementBytes) {
        return Map.entry(BuiltIns.storedName(type),
                (heap, array, visitor) -> ArrayBase.checkStorage(heap, array, elementBytes, visitor));
    }
}
