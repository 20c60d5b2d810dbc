package dev.hotpot.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;

/**
 * The transactions of the sorted-map crash test: transaction k of thread t is a list of puts,
 * removals, range removals, polls and bulk puts, all on keys that only thread t uses, so the state
 * of the map is a function of how many transactions of each thread committed, in any interleaving.
 * The same code applies a transaction to the {@code PersistentSortedMap} (in the child) and to a
 * {@code TreeMap} model (in the test). The first transaction of a thread puts 1200 keys at once,
 * so the tree reaches depth 3 quickly; later ones split, empty and free nodes.
 *
 * <p>Threading: stateless.
 */
final class SortedMapPlan {
    /** Keys per thread. */
    static final int KEYS = 3000;

    private SortedMapPlan() {
    }

    enum Kind { PUT, REMOVE, CLEAR_RANGE, POLL_FIRST, POLL_LAST, BULK_PUT }

    record Op(Kind kind, int n, int m, long value) {
    }

    static List<Op> transaction(long seed, int t, long k) {
        SplittableRandom random = new SplittableRandom(seed ^ (long) t << 56 ^ k * 0x9E3779B97F4A7C15L);
        List<Op> ops = new ArrayList<>();
        if (k == 1) {
            ops.add(new Op(Kind.BULK_PUT, 0, 1200, random.nextLong()));
            return ops;
        }
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            int n = random.nextInt(KEYS);
            int choice = random.nextInt(100);
            Kind kind = choice < 50 ? Kind.PUT : choice < 75 ? Kind.REMOVE : choice < 85 ? Kind.CLEAR_RANGE
                    : choice < 90 ? Kind.POLL_FIRST : choice < 93 ? Kind.POLL_LAST : Kind.BULK_PUT;
            int m = Math.min(KEYS, n + 1 + random.nextInt(kind == Kind.BULK_PUT ? 80 : 60));
            ops.add(new Op(kind, n, m, random.nextLong()));
        }
        return ops;
    }

    static void apply(NavigableMap<String, Object> map, int t, List<Op> ops) {
        for (Op op : ops) {
            switch (op.kind()) {
                case PUT -> map.put(key(t, op.n()), value(op.value()));
                case REMOVE -> map.remove(key(t, op.n()));
                case CLEAR_RANGE -> map.subMap(key(t, op.n()), key(t, op.m())).clear();
                case POLL_FIRST -> threadKeys(map, t).pollFirstEntry();
                case POLL_LAST -> threadKeys(map, t).pollLastEntry();
                case BULK_PUT -> {
                    for (int n = op.n(); n < op.m(); n++) {
                        map.put(key(t, n), value(op.value() + n));
                    }
                }
            }
        }
    }

    /** Key n of thread t; keys sort by n, and some carry a suffix of varying length. */
    static String key(int t, int n) {
        return "t" + t + "/" + String.format("%05d", n) + (n % 3 == 0 ? "-" + "x".repeat(n % 23) : "");
    }

    private static NavigableMap<String, Object> threadKeys(NavigableMap<String, Object> map, int t) {
        return map.subMap(key(t, 0), true, key(t, KEYS), false);
    }

    private static Object value(long v) {
        return switch (Math.floorMod(v, 4)) {
            case 0 -> null;
            case 1 -> v;
            case 2 -> "v" + v;
            default -> ("a longer value " + v + " ").repeat(5);
        };
    }

    /** How a dump writes a value: the test compares these strings. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "N";
            case Long l -> "L" + l;
            case String s -> "S" + s;
            default -> "?" + value.getClass().getName() + ":" + value;
        };
    }
}
