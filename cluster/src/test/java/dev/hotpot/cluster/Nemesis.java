package dev.hotpot.cluster;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The faults of the cluster tests, drawn at random: kill -9 of a node or, one time in eight, of
 * every node at once (then restarted), or, when the nodes run in {@link NetworkNamespaces}, a
 * whole node cut off, a link cut both ways or one way, held for 0.3 to 4 s (around the default 1.5 s lease) and then healed. The primary is the
 * victim twice as often as each other node. Nodes that stopped themselves meanwhile (to
 * resynchronise) are restarted after each fault.
 *
 * <p>Threading: one test thread drives it.
 */
final class Nemesis {
    enum Fault { KILL, KILL_ALL, ISOLATE, CUT_BOTH_WAYS, CUT_ONE_WAY }

    /** One fault in this many kills every node at once. */
    private static final int KILL_ALL_ONE_IN = 8;

    private final LocalCluster cluster;
    private final NetworkNamespaces network;
    private final Random random;
    private final Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    private int onPrimary;

    /** @param network the nodes' namespaces, or null: then every fault is a kill, of one node or all */
    Nemesis(LocalCluster cluster, NetworkNamespaces network, Random random) {
        this.cluster = cluster;
        this.network = network;
        this.random = random;
    }

    /** Applies one fault, undoes it, and returns once every node runs again; prints what it did. */
    void strike(int number) throws IOException, InterruptedException {
        String primary = cluster.primaryByLog();
        String victim = pickVictim(cluster.ids(), primary);
        Fault fault = pickFault();
        String other = pickOther(victim);
        counts.merge(fault, 1, Integer::sum);
        if (victim.equals(primary) && fault != Fault.KILL_ALL) {
            onPrimary++;
        }
        String named = victim + (victim.equals(primary) ? " (primary)" : "");
        switch (fault) {
            case KILL -> {
                System.out.println("fault " + number + ": kill -9 " + named);
                cluster.kill(victim);
            }
            case KILL_ALL -> {
                System.out.println("fault " + number + ": kill -9 every node");
                for (String id : cluster.ids()) {
                    cluster.kill(id);
                }
            }
            case ISOLATE -> cut(number, "cut off " + named, () -> network.isolate(LocalCluster.number(victim)));
            case CUT_BOTH_WAYS -> cut(number, "cut " + named + " <-> " + other, () -> {
                network.cutOneWay(LocalCluster.number(victim), LocalCluster.number(other));
                network.cutOneWay(LocalCluster.number(other), LocalCluster.number(victim));
            });
            case CUT_ONE_WAY -> {
                boolean outbound = random.nextBoolean();
                String text = outbound ? named + " -> " + other : other + " -> " + named;
                String from = outbound ? victim : other;
                String to = outbound ? other : victim;
                cut(number, "cut " + text, () -> network.cutOneWay(LocalCluster.number(from), LocalCluster.number(to)));
            }
        }
        cluster.restartDead(null);
    }

    /** How many faults of each kind were applied, and how many hit the primary. */
    String summary() {
        return counts + ", " + onPrimary + " on the primary";
    }

    /** Applies {@code cut}, holds it for 0.3 to 4 s, then heals the network. */
    private void cut(int number, String what, LinkCut cut) throws IOException, InterruptedException {
        long hold = 300 + random.nextInt(3_700);
        System.out.println("fault " + number + ": " + what + " for " + hold + " ms");
        cut.apply();
        Thread.sleep(hold);
        network.heal();
    }

    @FunctionalInterface
    private interface LinkCut {
        void apply() throws IOException;
    }

    private Fault pickFault() {
        if (random.nextInt(KILL_ALL_ONE_IN) == 0) {
            return Fault.KILL_ALL;
        }
        if (network == null) {
            return Fault.KILL;
        }
        List<Fault> single = List.of(Fault.KILL, Fault.ISOLATE, Fault.CUT_BOTH_WAYS, Fault.CUT_ONE_WAY);
        return single.get(random.nextInt(single.size()));
    }

    private String pickVictim(List<String> ids, String primary) {
        if (primary != null && random.nextInt(ids.size() + 1) < 2) {
            return primary;
        }
        List<String> others = ids.stream().filter(id -> !id.equals(primary)).toList();
        return others.get(random.nextInt(others.size()));
    }

    private String pickOther(String victim) {
        List<String> others = cluster.ids().stream().filter(id -> !id.equals(victim)).toList();
        return others.get(random.nextInt(others.size()));
    }
}
