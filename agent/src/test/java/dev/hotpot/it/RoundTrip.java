package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.it.model.Catalog;
import dev.hotpot.it.model.Circle;
import dev.hotpot.it.model.Color;
import dev.hotpot.it.model.Everything;
import dev.hotpot.it.model.Ledger;
import dev.hotpot.it.model.Shape;
import dev.hotpot.it.model.Square;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.SchemaRegistry;
import dev.hotpot.testing.ChildJvm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Child JVM of {@link RestartIT}, run with the agent: {@code write} stores objects with every
 * field kind, inheritance, references and collections; {@code verify} (a later JVM) checks them
 * and prints {@code VERIFIED}, or {@code MISMATCH ...} lines.
 */
public final class RoundTrip {
    private static final int CHAIN = 5;

    public static void main(String[] args) {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        if (args[0].equals("write")) {
            write();
            System.out.println("WRITTEN");
        } else {
            List<String> mismatches = Hotpot.transaction(RoundTrip::verify);
            mismatches.forEach(m -> System.out.println("MISMATCH " + m));
            System.out.println(mismatches.isEmpty() ? "VERIFIED" : "FAILED");
        }
    }

    private static void write() {
        Hotpot.transaction(() -> {
            Everything head = Hotpot.root("chain", Everything.class, Everything::new);
            head.fill(0);
            Everything current = head;
            for (int seed = 1; seed < CHAIN; seed++) {
                current.next = new Everything();
                current = current.next;
                current.fill(seed);
            }
            current.next = head;
            Square square = new Square(2, 4);
            square.neighbour = new Circle(1, 0.5);
            Hotpot.root("square", Square.class, () -> square);
            Ledger ledger = Hotpot.root("ledger", Ledger.class, Ledger::new);
            ledger.add(30);
            Catalog catalog = Hotpot.root("catalog", Catalog.class, Catalog::new);
            catalog.byName.put("head", head);
            catalog.byName.put("second", head.next);
            catalog.mixed.addAll(Arrays.asList("text", 7L, 3, 'c', (short) 2, (byte) 1, 2.5f, 1.25, true, Color.GREEN, null, head));
            catalog.shapes.set(0, square);
            catalog.shapes.set(2, square.neighbour);
        });
    }

    private static List<String> verify() {
        List<String> out = new ArrayList<>();
        Everything head = Hotpot.root("chain", Everything.class, Everything::new);
        Everything current = head;
        for (int seed = 0; seed < CHAIN; seed++, current = current.next) {
            String mismatch = current.mismatch(seed);
            if (!mismatch.isEmpty()) {
                out.add("chain[" + seed + "]: " + mismatch);
            }
            if (current.cache != 0) {
                out.add("transient field of a handle made for a stored object should be 0, is " + current.cache);
            }
        }
        expect(out, "cycle closes on the same handle", current == head);
        Square square = Hotpot.root("square", Square.class, () -> null);
        expect(out, "square fields", square.side == 4 && square.id() == 2 && square.name().equals("square#4"));
        Shape neighbour = square.neighbour;
        expect(out, "polymorphic reference", neighbour instanceof Circle c && c.radius == 0.5 && c.name().equals("circle"));
        Ledger ledger = Hotpot.root("ledger", Ledger.class, () -> null);
        expect(out, "private fields", ledger.entries() == 1 && ledger.totalSupplier().getAsLong() == 30);
        Catalog catalog = Hotpot.root("catalog", Catalog.class, () -> null);
        expect(out, "map values are the same handles", catalog.byName.get("head") == head && catalog.byName.get("second") == head.next
                && catalog.byName.size() == 2);
        List<Object> expectedMixed = Arrays.asList("text", 7L, 3, 'c', (short) 2, (byte) 1, 2.5f, 1.25, true, Color.GREEN, null, head);
        expect(out, "list of every storable kind: " + catalog.mixed, catalog.mixed.equals(expectedMixed));
        expect(out, "reference array", catalog.shapes.get(0) == square && catalog.shapes.get(1) == null
                && catalog.shapes.get(2) == neighbour && catalog.shapes.length() == 3);
        expect(out, "long array", Arrays.equals(catalog.longs.toArray(), new long[]{1, Long.MIN_VALUE, Long.MAX_VALUE}));
        expect(out, "double array", Arrays.equals(catalog.doubles.toArray(), new double[]{0.5, Double.NaN}));
        expect(out, "byte array", Arrays.equals(catalog.bytes.toArray(), new byte[]{-1, 0, 127}));
        ClassLayout stored = new SchemaRegistry(Hotpot.heap()).latest(Catalog.class.getName()).layout();
        expect(out, "a collection field is stored with the format's name of its type: " + stored,
                stored.field("byName").orElseThrow().descriptor().equals("Ldev/hotpot/PersistentMap;"));
        return out;
    }

    private static void expect(List<String> out, String what, boolean ok) {
        if (!ok) {
            out.add(what);
        }
    }
}
