package dev.hotpot.collections;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.DefaultHeapForTests;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sequences of map, navigation, poll, bulk and bounded-view operations on a
 * {@link PersistentSortedMap} and on a {@code java.util.TreeMap}, which must agree on every result
 * (or exception) and, after each sequence, on the whole content in both directions and on views.
 * Bulk puts grow the tree to depth 3 and range removals empty leaves and inner nodes; coverage
 * checks make sure the tries reach both.
 */
class PersistentSortedMapPropertiesTest {
    /** Key indexes: each names one key of the key space; bulk operations take runs of them. */
    private static final int UNIVERSE = 20000;
    private static final int BULK = 2500;

    @BeforeContainer
    static void openDefaultHeap() {
        DefaultHeapForTests.ensureOpen();
    }

    /** One operation: what to do, two key indexes, a flag and a value seed. */
    record Op(Kind kind, int a, int b, int flags, long value) {
    }

    enum Kind { PUT, REMOVE, GET, NAVIGATE, ENDS, POLL, BULK_PUT, RANGE_CLEAR, VIEW, ITERATOR_REMOVE, COMBINED, KEY_SET }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just(Kind.PUT)), Tuple.of(10, Arbitraries.just(Kind.REMOVE)),
                Tuple.of(6, Arbitraries.just(Kind.GET)), Tuple.of(8, Arbitraries.just(Kind.NAVIGATE)),
                Tuple.of(3, Arbitraries.just(Kind.ENDS)), Tuple.of(4, Arbitraries.just(Kind.POLL)),
                Tuple.of(16, Arbitraries.just(Kind.BULK_PUT)), Tuple.of(6, Arbitraries.just(Kind.RANGE_CLEAR)),
                Tuple.of(14, Arbitraries.just(Kind.VIEW)), Tuple.of(3, Arbitraries.just(Kind.ITERATOR_REMOVE)),
                Tuple.of(5, Arbitraries.just(Kind.COMBINED)), Tuple.of(5, Arbitraries.just(Kind.KEY_SET)));
        Arbitrary<Integer> index = Arbitraries.integers().between(0, UNIVERSE - 1);
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(kinds, index, index, Arbitraries.integers().between(0, 1023),
                Arbitraries.longs()).as(Op::new);
        return op.list().ofMinSize(20).ofMaxSize(80);
    }

    @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
    void stringKeysBehaveLikeTreeMap(@ForAll("operations") List<Op> ops) {
        run(ops, PersistentSortedMapPropertiesTest::stringKey, "string keys");
    }

    @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
    void longKeysBehaveLikeTreeMap(@ForAll("operations") List<Op> ops) {
        run(ops, PersistentSortedMapPropertiesTest::longKey, "long keys");
    }

    /**
     * String keys with long shared prefixes (tie on the 16-byte prefix), YCSB-like keys, short
     * keys, the empty string, and non-Latin-1 strings (UTF-16 blobs, compared with Latin-1 ones).
     */
    static String stringKey(int i) {
        return switch (i % 8) {
            case 0, 1, 2 -> "user" + Long.toUnsignedString(mix(i) & Long.MAX_VALUE);
            case 3 -> "user62847" + i;
            case 4 -> "k" + i;
            case 5 -> "a long shared prefix of keys/" + (i % 7) + "/" + i;
            case 6 -> switch (i % 5) {
                case 0 -> "ключ-" + i;
                case 1 -> "\uD800 lone surrogate " + i;
                case 2 -> "\u00FF" + i;
                case 3 -> "\u0100" + i;
                default -> i % 3 == 0 ? "" : "k" + i + "\u0000";
            };
            default -> "user6" + i;
        };
    }

    /** Long keys around 0, at both extremes, and spread over the whole range. */
    static Long longKey(int i) {
        return switch (i % 6) {
            case 0 -> Long.MIN_VALUE + i;
            case 1 -> Long.MAX_VALUE - i;
            case 2, 3 -> (long) (i - UNIVERSE / 2);
            default -> mix(i);
        };
    }

    private static long mix(long i) {
        long h = i * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    private static Object value(long seed) {
        return switch (Math.floorMod(seed, 6)) {
            case 0 -> null;
            case 1, 2 -> seed;
            case 3 -> "v" + seed;
            case 4 -> seed % 2 == 0;
            default -> seed / 3.0;
        };
    }

    @SuppressWarnings("unchecked")
    private static <K extends Comparable<K>> void run(List<Op> ops, IntFunction<K> keys, String what) {
        PersistentSortedMap<K, Object> map = new PersistentSortedMap<>();
        TreeMap<K, Object> model = new TreeMap<>();
        int deepest = 0;
        long mostInner = 0;
        boolean innerFreed = false;
        try {
            for (int step = 0; step < ops.size(); step++) {
                Op op = ops.get(step);
                String context = what + " step " + step + " " + op;
                apply(op, keys, map, model, context);
                if (op.kind() == Kind.BULK_PUT || op.kind() == Kind.RANGE_CLEAR || op.kind() == Kind.ITERATOR_REMOVE) {
                    BPlusTree.Shape shape = map.checkInvariants();
                    assertEquals(model.size(), shape.entries(), context);
                    deepest = Math.max(deepest, shape.depth());
                    innerFreed |= shape.innerNodes() < mostInner;
                    mostInner = Math.max(mostInner, shape.innerNodes());
                }
            }
            assertSameContent(model, map, keys, ops.size(), what);
            Statistics.label("depth").collect(deepest);
            Statistics.label("inner node freed").collect(innerFreed);
            Statistics.label("depth").coverage(coverage -> coverage.check(3).percentage(p -> p > 5));
            Statistics.label("inner node freed").coverage(coverage -> coverage.check(true).percentage(p -> p > 5));
        } finally {
            Hotpot.free(map);
        }
    }

    private static <K extends Comparable<K>> void apply(Op op, IntFunction<K> keys, PersistentSortedMap<K, Object> map,
                                                       TreeMap<K, Object> model, String context) {
        K a = keys.apply(op.a());
        K b = keys.apply(op.b());
        int flags = op.flags();
        switch (op.kind()) {
            case PUT -> same(() -> model.put(a, value(op.value())), () -> map.put(a, value(op.value())), context);
            case REMOVE -> same(() -> model.remove(a), () -> map.remove(a), context);
            case GET -> {
                same(() -> model.get(a), () -> map.get(a), context);
                same(() -> model.containsKey(a), () -> map.containsKey(a), context);
                same(() -> model.getOrDefault(a, "absent"), () -> map.getOrDefault(a, "absent"), context);
            }
            case NAVIGATE -> navigate(model, map, a, context);
            case ENDS -> ends(model, map, context);
            case POLL -> {
                if ((flags & 1) == 0) {
                    same(model::pollFirstEntry, map::pollFirstEntry, context);
                } else {
                    same(model::pollLastEntry, map::pollLastEntry, context);
                }
            }
            case BULK_PUT -> {
                int length = 1 + op.b() % BULK;
                Map<K, Object> run = new TreeMap<>();
                for (int i = 0; i < length; i++) {
                    run.put(keys.apply((op.a() + i) % UNIVERSE), value(op.value() + i));
                }
                model.putAll(run);
                map.putAll(run);
            }
            case RANGE_CLEAR -> {
                Views<K> views = views(model, map, flags, a, b, context);
                if (views != null) {
                    views.model().clear();
                    views.map().clear();
                    same(views.model()::size, views.map()::size, context);
                }
            }
            case VIEW -> {
                Views<K> views = views(model, map, flags, a, b, context);
                if (views != null) {
                    checkView(views.model(), views.map(), keys.apply((op.a() + op.b()) / 2), value(op.value()), context);
                }
            }
            case ITERATOR_REMOVE -> {
                Views<K> views = views(model, map, flags >> 3, a, b, context);
                if (views != null) {
                    int modulus = 2 + flags % 5;
                    assertEquals(removeEvery(views.model(), modulus), removeEvery(views.map(), modulus), context);
                }
            }
            case COMBINED -> {
                Object v = Objects.requireNonNullElse(value(op.value()), "not null");
                same(() -> model.putIfAbsent(a, v), () -> map.putIfAbsent(a, v), context);
                same(() -> model.merge(b, v, (x, y) -> String.valueOf(x) + y), () -> map.merge(b, v, (x, y) -> String.valueOf(x) + y), context);
                same(() -> model.compute(a, (k, old) -> old == null ? 1L : null), () -> map.compute(a, (k, old) -> old == null ? 1L : null), context);
                same(() -> model.replace(b, v), () -> map.replace(b, v), context);
            }
            case KEY_SET -> {
                same(() -> model.keySet().remove(a), () -> map.keySet().remove(a), context);
                same(() -> model.descendingKeySet().pollFirst(), () -> map.descendingKeySet().pollFirst(), context);
                same(() -> model.navigableKeySet().higher(b), () -> map.navigableKeySet().higher(b), context);
                same(() -> model.descendingKeySet().ceiling(b), () -> map.descendingKeySet().ceiling(b), context);
                same(() -> new ArrayList<>(model.navigableKeySet().headSet(b, (flags & 1) == 0)),
                        () -> new ArrayList<>(map.navigableKeySet().headSet(b, (flags & 1) == 0)), context);
            }
        }
    }

    record Views<K>(NavigableMap<K, Object> model, NavigableMap<K, Object> map) {
    }

    /** The same view of both maps, or null when both refuse to make it (with the same exception). */
    static <K extends Comparable<K>> Views<K> views(NavigableMap<K, Object> model, NavigableMap<K, Object> map, int shape,
                                                   K a, K b, String context) {
        Object modelView = outcome(() -> view(model, shape, a, b));
        Object mapView = outcome(() -> view(map, shape, a, b));
        if (modelView instanceof Class<?> refused) {
            assertEquals(refused, mapView, context + " view " + shape);
            return null;
        }
        assertTrue(mapView instanceof NavigableMap<?, ?>, context + " view " + shape + ": " + mapView);
        @SuppressWarnings("unchecked")
        Views<K> views = new Views<>((NavigableMap<K, Object>) modelView, (NavigableMap<K, Object>) mapView);
        return views;
    }

    /** The same bounded (and possibly descending) view of either map, chosen by {@code shape}. */
    static <K extends Comparable<K>> NavigableMap<K, Object> view(NavigableMap<K, Object> m, int shape, K a, K b) {
        K lo = a.compareTo(b) <= 0 ? a : b;
        K hi = a.compareTo(b) <= 0 ? b : a;
        boolean loInclusive = (shape & 8) == 0;
        boolean hiInclusive = (shape & 16) != 0;
        return switch (shape & 7) {
            case 0 -> m.subMap(lo, loInclusive, hi, hiInclusive);
            case 1 -> m.headMap(hi, hiInclusive);
            case 2 -> m.tailMap(lo, loInclusive);
            case 3 -> m.descendingMap().subMap(hi, hiInclusive, lo, loInclusive);
            case 4 -> m.descendingMap().headMap(lo, loInclusive);
            case 5 -> m.tailMap(lo, loInclusive).descendingMap().headMap(hi, hiInclusive);
            case 6 -> m.subMap(lo, true, hi, true).headMap(hi, hiInclusive).descendingMap();
            default -> m;
        };
    }

    private static <K extends Comparable<K>> void navigate(NavigableMap<K, Object> model, NavigableMap<K, Object> map, K key,
                                                          String context) {
        same(() -> model.lowerEntry(key), () -> map.lowerEntry(key), context);
        same(() -> model.floorEntry(key), () -> map.floorEntry(key), context);
        same(() -> model.ceilingEntry(key), () -> map.ceilingEntry(key), context);
        same(() -> model.higherEntry(key), () -> map.higherEntry(key), context);
        same(() -> model.lowerKey(key), () -> map.lowerKey(key), context);
        same(() -> model.floorKey(key), () -> map.floorKey(key), context);
        same(() -> model.ceilingKey(key), () -> map.ceilingKey(key), context);
        same(() -> model.higherKey(key), () -> map.higherKey(key), context);
    }

    private static <K> void ends(NavigableMap<K, Object> model, NavigableMap<K, Object> map, String context) {
        same(model::firstEntry, map::firstEntry, context);
        same(model::lastEntry, map::lastEntry, context);
        same(model::firstKey, map::firstKey, context);
        same(model::lastKey, map::lastKey, context);
        same(model::isEmpty, map::isEmpty, context);
    }

    private static <K extends Comparable<K>> void checkView(NavigableMap<K, Object> model, NavigableMap<K, Object> map,
                                                           K probe, Object value, String context) {
        same(model::size, map::size, context + " size");
        ends(model, map, context);
        navigate(model, map, probe, context);
        same(() -> model.get(probe), () -> map.get(probe), context);
        same(() -> model.containsKey(probe), () -> map.containsKey(probe), context);
        same(() -> new ArrayList<>(model.entrySet()), () -> new ArrayList<>(map.entrySet()), context + " entries");
        same(() -> new ArrayList<>(model.descendingMap().keySet()), () -> new ArrayList<>(map.descendingMap().keySet()),
                context + " descending keys");
        same(() -> new ArrayList<>(model.values()), () -> new ArrayList<>(map.values()), context + " values");
        same(() -> model.put(probe, value), () -> map.put(probe, value), context + " put through the view");
        same(() -> model.headMap(probe, true).size(), () -> map.headMap(probe, true).size(), context + " nested view");
        same(() -> model.remove(probe), () -> map.remove(probe), context + " remove through the view");
        same(model::pollFirstEntry, map::pollFirstEntry, context + " poll");
        same(() -> model.equals(map), () -> map.equals(model), context + " equals");
    }

    private static <K> List<K> removeEvery(NavigableMap<K, Object> view, int modulus) {
        List<K> removed = new ArrayList<>();
        int i = 0;
        for (Iterator<K> keys = view.keySet().iterator(); keys.hasNext(); i++) {
            K key = keys.next();
            if (i % modulus == 0) {
                keys.remove();
                removed.add(key);
            }
        }
        return removed;
    }

    private static <K extends Comparable<K>> void assertSameContent(TreeMap<K, Object> model, PersistentSortedMap<K, Object> map,
                                                                   IntFunction<K> keys, int seed, String context) {
        assertEquals(model.size(), map.checkInvariants().entries(), context);
        assertEquals(model.size(), map.size(), context);
        assertEquals(model.isEmpty(), map.isEmpty(), context);
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(map.entrySet()), context + " ascending");
        assertEquals(new ArrayList<>(model.descendingMap().entrySet()), new ArrayList<>(map.descendingMap().entrySet()),
                context + " descending");
        assertEquals(new ArrayList<>(model.descendingKeySet()), new ArrayList<>(map.descendingKeySet()), context);
        assertEquals(new ArrayList<>(model.values()), new ArrayList<>(map.values()), context);
        assertTrue(map.equals(model), context);
        assertEquals(model, map, context);
        assertEquals(model.hashCode(), map.hashCode(), context);
        assertEquals(model.toString(), map.toString(), context);
        for (int i = 0; i < 4; i++) {
            K a = keys.apply((seed * 31 + i * 1237) % UNIVERSE);
            K b = keys.apply((seed * 17 + i * 4001) % UNIVERSE);
            int shape = seed + i * 9;
            Views<K> views = views(model, map, shape, a, b, context);
            if (views != null) {
                assertEquals(new ArrayList<>(views.model().entrySet()), new ArrayList<>(views.map().entrySet()),
                        context + " view " + shape);
                assertEquals(new ArrayList<>(views.model().descendingMap().entrySet()),
                        new ArrayList<>(views.map().descendingMap().entrySet()), context + " view " + shape);
            }
        }
    }

    /** Both suppliers return equal results, or throw exceptions of the same class. */
    private static void same(Supplier<?> model, Supplier<?> map, String context) {
        Object expected = outcome(model);
        Object actual = outcome(map);
        assertEquals(expected, actual, context);
    }

    private static Object outcome(Supplier<?> supplier) {
        try {
            return supplier.get();
        } catch (IllegalArgumentException | NoSuchElementException | ClassCastException | NullPointerException e) {
            return e.getClass();
        }
    }
}
