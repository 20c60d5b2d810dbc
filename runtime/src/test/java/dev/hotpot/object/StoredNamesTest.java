package dev.hotpot.object;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StoredNamesTest {
    private static final class Renamed {
    }

    @Test
    void aClassStoredUnderAnotherNameIsFoundByItAndFieldsOfItsTypeAreStoredWithIt() {
        StoredNames names = new StoredNames();
        names.add(Renamed.class, "old.Renamed");
        assertSame(Renamed.class, names.classOf("old.Renamed"));
        assertNull(names.classOf(Renamed.class.getName()), "a class's own name is not a stored name");
        String own = "L" + Renamed.class.getName().replace('.', '/') + ";";
        assertEquals(List.of(new FieldSpec("renamed", "Lold/Renamed;", FieldKind.REFERENCE),
                        new FieldSpec("name", "Ljava/lang/String;", FieldKind.STRING),
                        new FieldSpec("count", "J", FieldKind.LONG)),
                names.stored(List.of(new FieldSpec("renamed", own, FieldKind.REFERENCE),
                        new FieldSpec("name", "Ljava/lang/String;", FieldKind.STRING),
                        new FieldSpec("count", "J", FieldKind.LONG))));
    }
}
