package dev.hotpot.it;

import dev.hotpot.UnsupportedFieldException;
import dev.hotpot.collections.PersistentList;
import dev.hotpot.collections.PersistentLongArray;
import dev.hotpot.collections.PersistentMap;
import dev.hotpot.collections.PersistentSortedMap;
import dev.hotpot.it.model.Circle;
import dev.hotpot.it.refused.ArrayField;
import dev.hotpot.it.refused.BoxedField;
import dev.hotpot.it.refused.CloneableThing;
import dev.hotpot.it.refused.EarlyAssignment;
import dev.hotpot.it.refused.InterfaceField;
import dev.hotpot.it.refused.ListField;
import dev.hotpot.it.refused.MapField;
import dev.hotpot.it.refused.ObjectField;
import dev.hotpot.it.refused.Outer;
import dev.hotpot.it.refused.PlainClassField;
import dev.hotpot.it.refused.PlainSuperclass;
import dev.hotpot.it.refused.SortedMapField;
import dev.hotpot.it.support.AgentHeap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.*;

/** Each kind of class the heap cannot hold fails at first use with a message naming class, field and remedy. */
class RefusalIT {
    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    private static void assertRefused(Executable firstUse, String... mentions) {
        ExceptionInInitializerError error = assertThrows(ExceptionInInitializerError.class, firstUse);
        Throwable cause = error.getCause();
        assertInstanceOf(UnsupportedFieldException.class, cause);
        for (String mention : mentions) {
            assertTrue(cause.getMessage().contains(mention), "message names '" + mention + "': " + cause.getMessage());
        }
        assertThrows(NoClassDefFoundError.class, firstUse, "the class stays unusable, never half-persistent");
    }

    @Test
    void javaArrays() {
        assertRefused(ArrayField::new, "ArrayField", "'values'", "long[]", PersistentLongArray.class.getName());
    }

    @Test
    void javaUtilCollections() {
        assertRefused(ListField::new, "ListField", "'names'", "java.util.List", PersistentList.class.getName());
        assertRefused(MapField::new, "MapField", "'index'", "java.util.HashMap", PersistentMap.class.getName());
        assertRefused(SortedMapField::new, "SortedMapField", "'byName'", "java.util.TreeMap", PersistentSortedMap.class.getName());
    }

    @Test
    void objectsOfNonPersistentClasses() {
        assertRefused(ObjectField::new, "ObjectField", "'anything'", "java.lang.Object", "@Persistent", "transient");
        assertRefused(PlainClassField::new, "PlainClassField", "'buffer'", "java.lang.StringBuilder", "@Persistent");
    }

    @Test
    void boxedPrimitives() {
        assertRefused(BoxedField::new, "BoxedField", "'count'", "java.lang.Long", "long");
    }

    @Test
    void aNonPersistentSuperclass() {
        assertRefused(PlainSuperclass::new, "PlainSuperclass", "PlainBase", "@Persistent");
    }

    @Test
    void innerClassesWithAHiddenOuterReference() {
        Outer outer = new Outer();
        assertRefused(() -> outer.new Inner(), "Outer$Inner", "static nested");
    }

    @Test
    void interfaceTypedFields() {
        assertRefused(InterfaceField::new, "InterfaceField", "'task'", "java.lang.Runnable", "abstract @Persistent class");
    }

    @Test
    void anonymousSubclassesOfPersistentClasses() {
        assertRefused(() -> new Circle(1, 1) {
        }, "extends the persistent class", "dev.hotpot.it.model.Circle", "named static nested");
    }

    @Test
    void cloningWouldShareTheHeapObject() {
        CloneableThing thing = new CloneableThing();
        thing.value = 1;
        CloneNotSupportedException e = assertThrows(CloneNotSupportedException.class, thing::clone);
        assertTrue(e.getMessage().contains("create a new object"), e.getMessage());
        assertEquals(1, thing.value);
    }

    @Test
    void aPersistentFieldAssignedBeforeSuper() {
        assertRefused(() -> new EarlyAssignment(1), "EarlyAssignment", "'value'", "before super()");
    }
}
