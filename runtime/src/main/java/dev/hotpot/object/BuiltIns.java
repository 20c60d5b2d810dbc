package dev.hotpot.object;

import dev.hotpot.PersistentArray;
import dev.hotpot.PersistentBooleanArray;
import dev.hotpot.PersistentByteArray;
import dev.hotpot.PersistentCharArray;
import dev.hotpot.PersistentDoubleArray;
import dev.hotpot.PersistentFloatArray;
import dev.hotpot.PersistentIntArray;
import dev.hotpot.PersistentList;
import dev.hotpot.PersistentLongArray;
import dev.hotpot.PersistentMap;
import dev.hotpot.PersistentShortArray;
import dev.hotpot.PersistentSortedMap;

import java.lang.invoke.MethodHandles;

/**
 * Binds the runtime's persistent collections to their fixed layouts when a heap's objects are
 * opened, so references to them can be followed like references to {@code @Persistent} objects.
 */
public final class BuiltIns {
    private BuiltIns() {
    }

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
}
