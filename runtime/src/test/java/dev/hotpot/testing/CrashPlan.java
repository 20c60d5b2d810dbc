package dev.hotpot.testing;

import java.util.Random;

/**
 * How many kills a crash test makes and the seed of everything random in it, from system
 * properties, printed so a failing run can be repeated with {@code -Dhotpot.crash.seed=}.
 *
 * @param random kill timing and other choices, from the seed
 */
public record CrashPlan(int kills, long seed, Random random) {

    public static CrashPlan fromProperties(String test, String killsProperty, int defaultKills) {
        int kills = Integer.getInteger(killsProperty, defaultKills);
        long seed = Long.getLong("hotpot.crash.seed", System.nanoTime());
        System.out.println(test + ": kills=" + kills + " seed=" + seed + " (rerun with -Dhotpot.crash.seed=" + seed + ")");
        return new CrashPlan(kills, seed, new Random(seed));
    }
}
