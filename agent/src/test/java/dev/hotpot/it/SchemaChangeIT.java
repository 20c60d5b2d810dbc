package dev.hotpot.it;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.it.support.SourceApp;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A class changes between runs of an application: an added field gives stored objects the new
 * field at its default (and they can be written); a removed or retyped field is refused with a
 * message that names the class, the field and the change; stored data is never reinterpreted.
 */
class SchemaChangeIT {
    private static final String MAIN = """
            package evolve;
            import dev.hotpot.Hotpot;
            public class Main {
                public static void main(String[] args) {
                    try {
                        Holder holder = Hotpot.root("holder", Holder.class, () -> {
                            Holder h = new Holder();
                            h.item = new Item();
                            h.item.init();
                            return h;
                        });
                        Item item = Hotpot.root("item", Item.class, () -> holder.item);
                        System.out.println("SAME " + (item == holder.item));
                        System.out.println("ITEM " + item.describe());
                        try {
                            Hotpot.transaction(() -> {
                                item.update();
                                throw new IllegalStateException("roll back");
                            });
                        } catch (IllegalStateException e) {
                            System.out.println("ROLLED-BACK " + item.describe() + " same=" + (item == holder.item));
                        }
                        item.update();
                        System.out.println("UPDATED " + item.describe());
                    } catch (Throwable e) {
                        Throwable cause = e;
                        while (cause.getCause() != null) {
                            cause = cause.getCause();
                        }
                        System.out.println("ERROR " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    }
                }
            }
            """;
    private static final String HOLDER = """
            package evolve;
            @dev.hotpot.Persistent
            public class Holder {
                public Item item;
            }
            """;

    @TempDir
    Path dir;

    private static String item(String fields, String init, String describe, String update) {
        return """
                package evolve;
                @dev.hotpot.Persistent
                public class Item {
                    %s
                    void init() { %s }
                    String describe() { return %s; }
                    void update() { %s }
                }
                """.formatted(fields, init, describe, update);
    }

    private String run(Path app) throws Exception {
        try (ChildJvm child = AgentJvm.start("dir=" + dir.resolve("data") + ",heap=evolve,size=4m", app.toString(), "evolve.Main")) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)));
            return child.transcript();
        }
    }

    private Path version(String name, String item) throws Exception {
        return SourceApp.compile(dir, name, Map.of("evolve.Main", MAIN, "evolve.Holder", HOLDER, "evolve.Item", item));
    }

    @Test
    void addedFieldsReadAsDefaultsOnStoredObjectsAndRemovedOrRetypedFieldsAreRefused() throws Exception {
        Path v1 = version("v1", item("public long a; public String name;",
                "a = 41; name = \"first\";", "\"a=\" + a + \" name=\" + name", "a++;"));
        String first = run(v1);
        assertTrue(first.contains("SAME true"), first);
        assertTrue(first.contains("UPDATED a=42 name=first"), first);

        Path removed = version("removed", item("public long a;", "", "\"a=\" + a", ""));
        String refusedRemoval = run(removed);
        assertTrue(refusedRemoval.contains("ERROR SchemaMismatchException") && refusedRemoval.contains("evolve.Item")
                && refusedRemoval.contains("'name'") && refusedRemoval.contains("no longer declared"), refusedRemoval);

        Path retyped = version("retyped", item("public int a; public String name;", "", "\"a=\" + a", ""));
        String refusedRetype = run(retyped);
        assertTrue(refusedRetype.contains("ERROR SchemaMismatchException") && refusedRetype.contains("'a'")
                && refusedRetype.contains("from J to I"), refusedRetype);

        Path v2 = version("v2", item("public long a; public String name; public int added; public String note; public Item self;",
                "", "\"a=\" + a + \" name=\" + name + \" added=\" + added + \" note=\" + note + \" self=\" + (self == this)",
                "added += 5; note = \"n\" + added; self = this;"));
        String evolved = run(v2);
        assertTrue(evolved.contains("SAME true"), "references to a moved object still meet at one handle: " + evolved);
        assertTrue(evolved.contains("ITEM a=42 name=first added=0 note=null self=false"),
                "stored fields keep their values, added ones read as defaults, after the refused runs changed nothing: " + evolved);
        assertTrue(evolved.contains("ROLLED-BACK a=42 name=first added=0 note=null self=false same=true"),
                "a rolled-back first store to added fields leaves the object as stored, and the handle usable: " + evolved);
        assertTrue(evolved.contains("UPDATED a=42 name=first added=5 note=n5 self=true"), evolved);
        String again = run(v2);
        assertTrue(again.contains("ITEM a=42 name=first added=5 note=n5 self=true"), "added fields persist: " + again);
        Path v3 = version("v3", item("public long a; public String name; public int added; public String note; public Item self;"
                        + " public long later; public String laterNote;", "",
                "\"a=\" + a + \" added=\" + added + \" note=\" + note + \" later=\" + later + \" laterNote=\" + laterNote",
                "later += 7; laterNote = \"ln\" + later; added += 1;"));
        String grown = run(v3);
        assertTrue(grown.contains("ITEM a=42 added=10 note=n10 later=0 laterNote=null"), "a second added version reads the first's values: " + grown);
        assertTrue(grown.contains("ROLLED-BACK a=42 added=10 note=n10 later=0 laterNote=null")
                && grown.contains("UPDATED a=42 added=11 note=n10 later=7 laterNote=ln7"),
                "storing a field of the second version grows the extension and keeps the first's: " + grown);
        assertTrue(run(v3).contains("ITEM a=42 added=11 note=n10 later=7 laterNote=ln7"), "and it persists");

        String downgrade = run(v1);
        assertTrue(downgrade.contains("ERROR SchemaMismatchException") && downgrade.contains("no longer declared"),
                "going back to the older class would drop the added fields: refused: " + downgrade);
    }
}
