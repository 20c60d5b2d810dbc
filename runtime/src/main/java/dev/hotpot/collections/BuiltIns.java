package dev.hotpot.collections;

import dev.hotpot.object.ObjectSpace;

import java.lang.invoke.MethodHandles;

/**
 * Binds the runtime's persistent collections to their fixed layouts when a heap's objects are
 * opened, so references to them can be followed like references to {@code @Persistent} objects.
 *
 * <p>Invariant: a collection is stored under the fixed name {@code dev.hotpot.<simple name>}
 * ({@link #storedName}, the name docs/format.md gives it), as its layout's class and in the
 * descriptors of fields of its type, not under its class's full name, so the package the classes
 * live in is not part of the on-disk format.
 *
 * <p>Threading: stateless; {@link #bind} runs once per heap, before its objects are used.
 */
public final class BuiltIns {
    private static final String STORED_PACKAGE = "dev.hotpot.";

    private BuiltIns() {
    }

    /** Binds every collection class in {@code objects}; call outside any transaction. */
    public static void bind(ObjectSpace objects) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        objects.bindBuiltIn(PersistentMap.class, PersistentMap.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentSortedMap.class, PersistentSortedMap.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentList.class, PersistentList.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentArray.class, PersistentArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentLongArray.class, PersistentLongArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentIntArray.class, PersistentIntArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentDoubleArray.class, PersistentDoubleArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentFloatArray.class, PersistentFloatArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentShortArray.class, PersistentShortArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentCharArray.class, PersistentCharArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentByteArray.class, PersistentByteArray.LAYOUT, lookup);
        objects.bindBuiltIn(PersistentBooleanArray.class, PersistentBooleanArray.LAYOUT, lookup);
    }

    /** The class name the layout of collection {@code type} is stored under in a heap's schema. */
    static String storedName(Class<?> type) {
        return STORED_PACKAGE + type.getSimpleName();
    }
}
