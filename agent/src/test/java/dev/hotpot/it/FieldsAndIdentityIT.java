package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.it.model.Circle;
import dev.hotpot.it.model.Color;
import dev.hotpot.it.model.Everything;
import dev.hotpot.it.model.Shape;
import dev.hotpot.it.model.Square;
import dev.hotpot.it.support.AgentHeap;
import dev.hotpot.object.PersistentObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Field kinds, identity and inheritance of rewritten classes, in a JVM running with the agent. */
class FieldsAndIdentityIT {
    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    @Test
    void persistentClassesBecomeHeapHandlesWithoutTheirFields() throws Exception {
        assertTrue(PersistentObject.class.isAssignableFrom(Everything.class), "a root persistent class extends PersistentObject");
        assertThrows(NoSuchFieldException.class, () -> Everything.class.getDeclaredField("l"), "persistent fields leave the class");
        assertNotNull(Everything.class.getDeclaredField("cache"), "transient fields stay");
        assertNotNull(Everything.class.getDeclaredField("instances"), "static fields stay");
    }

    @Test
    void everyFieldKindRoundTripsThroughTheHeap() {
        for (int seed = 0; seed < 5; seed++) {
            int s = seed;
            Everything e = Hotpot.transaction(() -> {
                Everything created = new Everything();
                created.fill(s);
                return created;
            });
            assertEquals("", e.mismatch(seed), "seed " + seed);
            long address = ((PersistentObject) (Object) e).hotpot$address;
            assertNotEquals(0, Hotpot.heap().getLong(address + 8) | Hotpot.heap().getLong(address + 16),
                    "the values are in the heap, not in the handle");
        }
    }

    @Test
    void newObjectsStartWithDefaultsAndInitializersAndConstructorsRun() {
        int before = Everything.instances;
        Everything e = new Everything();
        assertEquals(before + 1, Everything.instances, "the user constructor ran");
        assertEquals(42, e.cache, "transient initializer ran");
        assertFalse(e.flag);
        assertEquals(0, e.l);
        assertNull(e.text);
        assertNull(e.color);
        assertNull(e.next);
    }

    @Test
    void fieldStoresOutsideATransactionCommitOneByOne() {
        Everything e = new Everything();
        e.l = 5;
        e.l += 10;
        e.text = "a";
        e.text = e.text + "b";
        e.color = Color.BLUE;
        assertEquals(15, e.l);
        assertEquals("ab", e.text);
        assertEquals(Color.BLUE, e.color);
        e.text = null;
        e.color = null;
        assertNull(e.text);
        assertNull(e.color);
    }

    @Test
    void oneHandlePerObjectSoEqualityIsIdentity() {
        Everything a = new Everything();
        Everything b = new Everything();
        a.next = b;
        b.next = a;
        assertSame(b, a.next);
        assertSame(a, a.next.next);
        assertSame(a.next, a.next);
        Everything root = Hotpot.root("identity-root", Everything.class, () -> a);
        assertSame(a, root);
        assertSame(a, Hotpot.root("identity-root", Everything.class, Everything::new));
    }

    @Test
    void inheritedFieldsPolymorphicReferencesAndAbstractSuperclasses() {
        Circle circle = new Circle(7, 2.0);
        Square square = new Square(8, 3);
        square.neighbour = circle;
        assertEquals("circle", circle.name());
        assertEquals(7, circle.id());
        assertEquals("square#3", square.name(), "subclass constructor reads and writes an inherited protected field");
        Shape neighbour = square.neighbour;
        assertSame(circle, neighbour);
        assertEquals(Math.PI * 4, neighbour.area(), 1e-9, "virtual dispatch on a handle read from a field");
        Shape[] shapes = Hotpot.transaction(() -> new Shape[]{new Circle(1, 1), new Square(2, 2)});
        assertEquals(1.0 * Math.PI, shapes[0].area(), 1e-9);
        assertEquals(4.0, shapes[1].area(), 1e-9);
    }

    @Test
    void aReferenceReadAsTheWrongTypeIsRefusedClearly() {
        Circle circle = new Circle(3, 1);
        Hotpot.root("typed-root", Circle.class, () -> circle);
        dev.hotpot.SchemaMismatchException e = assertThrows(dev.hotpot.SchemaMismatchException.class,
                () -> Hotpot.root("typed-root", Square.class, () -> new Square(1, 1)));
        assertTrue(e.getMessage().contains(Circle.class.getName()) && e.getMessage().contains(Square.class.getName()), e.getMessage());
    }
}
