package dev.hotpot.testing;

import dev.hotpot.collections.PersistentArray;
import dev.hotpot.collections.PersistentList;
import dev.hotpot.collections.PersistentLongArray;
import dev.hotpot.collections.PersistentMap;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Random values of every kind a persistent collection stores, for model tests: strings (Latin-1,
 * other scripts, unpaired surrogates, long ones), every boxed primitive, enums, null, and
 * persistent objects. Keys come from small pools so that lookups hit stored keys often.
 *
 * <p>Threading: not thread-safe; one per test.
 */
public final class RandomValues {
    /** An enum to store; its constants are kept by name. */
    public enum Color { RED, GREEN, BLUE }

    private final Random random;
    /** Persistent objects with identity equality, so a java.util model compares them as the collection does. */
    private final List<Object> persistentKeys;

    /** Runs {@code test} with a seeded {@code Random}; a failure names the seed, and {@code -Dhotpot.test.seed} repeats it. */
    public static void runSeeded(Consumer<Random> test) {
        long seed = Long.getLong("hotpot.test.seed", System.nanoTime());
        try {
            test.accept(new Random(seed));
        } catch (RuntimeException | AssertionError failure) {
            throw new AssertionError("failed with seed=" + seed + "; rerun with -Dhotpot.test.seed=" + seed, failure);
        }
    }

    public RandomValues(Random random) {
        this.random = random;
        this.persistentKeys = List.of(PersistentLongArray.of(1, 2), PersistentLongArray.of(3), new PersistentArray<>(2));
    }

    /** A key from a pool of about {@code 14 * poolSize} distinct keys of every kind. */
    public Object key(int poolSize) {
        int n = random.nextInt(poolSize);
        return switch (random.nextInt(14)) {
            case 0, 1, 2 -> "key-" + n;
            case 3 -> "ключ-" + n;
            case 4 -> "\uD800 lone high surrogate " + n;
            case 5, 6 -> n;
            case 7 -> (long) n;
            case 8 -> (short) n;
            case 9 -> (char) ('a' + n % 26);
            case 10 -> n / 4.0;
            case 11 -> Color.values()[n % 3];
            case 12 -> random.nextInt(50) == 0 ? null : n % 2 == 0;
            default -> persistentKeys.get(n % persistentKeys.size());
        };
    }

    /** A value of any storable kind, persistent collections included (each new). */
    public Object value() {
        if (random.nextInt(25) == 0) {
            return switch (random.nextInt(3)) {
                case 0 -> new PersistentList<>(List.of("in a list", random.nextInt(100)));
                case 1 -> new PersistentMap<>(java.util.Map.of("in", "a map"));
                default -> PersistentLongArray.of(random.nextLong());
            };
        }
        return plainValue();
    }

    /** A value that equals the same values in java.util collections as in persistent ones (no persistent collections). */
    public Object plainValue() {
        int n = random.nextInt(1000);
        return switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> "value-" + n;
            case 2 -> "日本語 " + n + " \uD83D\uDE00";
            case 3 -> "unpaired low \uDC00 " + n;
            case 4 -> "long " + "x".repeat(200 + n);
            case 5 -> "";
            case 6 -> n;
            case 7 -> random.nextLong();
            case 8 -> (byte) n;
            case 9 -> (short) n;
            case 10 -> (char) n;
            case 11 -> random.nextBoolean();
            case 12 -> random.nextFloat() * n;
            case 13 -> random.nextInt(20) == 0 ? Double.NaN : random.nextDouble() - 0.5;
            case 14 -> Color.values()[n % 3];
            default -> persistentKeys.get(n % persistentKeys.size());
        };
    }
}
