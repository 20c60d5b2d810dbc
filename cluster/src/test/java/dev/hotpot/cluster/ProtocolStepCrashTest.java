package dev.hotpot.cluster;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node dies at each step of the replication protocol where a crash is hardest to get right: the
 * bank runs on 3 nodes armed to halt the JVM (as kill -9 would) the k-th time they take the step
 * (k random; the first node to get there halts, the others go on); once one did, the primary is
 * killed as well, so that a promotion and its
 * reconciliation happen; every dead node is restarted without the hook. At the end the usual checks hold
 * ({@link BankCheck}), and the step was taken at least once.
 */
class ProtocolStepCrashTest {
    private static final int ACCOUNTS = 64;
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(ProtocolSteps.Step.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aNodeThatDiesAtThisStepLosesNothingAcknowledged(ProtocolSteps.Step step) throws Exception {
        long seed = Long.getLong("hotpot.cluster.seed", System.nanoTime());
        Random random = new Random(seed);
        int after = switch (step) {
            case PRIMARY_APPENDED, BACKUP_ACKNOWLEDGED, COMMITTED_BEFORE_REPLY -> 20 + random.nextInt(150);
            case RECONCILING -> 1;
            case CATCHING_UP -> 1 + random.nextInt(40);
            case CHECKPOINTING -> 1 + random.nextInt(3);
        };
        System.out.println("protocol step " + step + ": halt after " + after + " seed=" + seed);
        List<String> options = List.of("-Dhotpot.checkpointLog=256k");
        try (LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(ACCOUNTS, 2), options)) {
            List<String> armed = List.of("-Dhotpot.protocolSteps=" + HaltAtStep.class.getName(),
                    "-Dhotpot.test.haltAt=" + step, "-Dhotpot.test.haltAfter=" + after,
                    "-Dhotpot.test.haltMarker=" + cluster.control().resolve("halted"));
            for (String id : cluster.ids()) {
                cluster.start(id, armed);
            }
            int halts = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            boolean primaryKilled = false;
            while (System.nanoTime() < deadline && (halts == 0 || !primaryKilled)) {
                Thread.sleep(200);
                halts += cluster.restartDead("HALT at " + step);
                // Once the step was taken (a reconciliation needs the kill to happen at all), the primary is
                // killed too, so that a promotion and its reconciliation follow.
                boolean due = halts > 0 || step == ProtocolSteps.Step.RECONCILING;
                if (!primaryKilled && due && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(30)) {
                    String primary = cluster.primaryByLog();
                    if (primary != null && cluster.jvm(primary).isAlive()) {
                        System.out.println("kill -9 the primary " + primary);
                        cluster.kill(primary);
                        cluster.start(primary);
                        primaryKilled = true;
                    }
                }
            }
            halts += cluster.restartDead("HALT at " + step);
            Map<String, BankState> states = BankState.readAll(cluster.stopAndCollect(Duration.ofSeconds(90)));
            BankCheck.Summary summary = BankCheck.check(states, cluster.ids().stream().map(cluster::witness).toList(), ACCOUNTS);
            System.out.println("protocol step " + step + ": " + halts + " halts there; " + summary);
            assertTrue(halts > 0, "no node took step " + step + " " + after + " times: the test proved nothing");
        }
    }
}
