package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.it.model.Tally;
import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three JVMs of one application, started at the same moment with a node id, their own folder and
 * the same peers, form a cluster: {@code Hotpot.root} works from all three at once, each
 * increments a shared {@code @Persistent} counter through a {@code @Transactional} method, and
 * after the barrier every node reads the sum of all increments. A second run finds it again.
 */
class ClusterAgentIT {
    private static final int INCREMENTS = 150;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void threeJvmsOfOneApplicationShareOneHeap() throws Exception {
        String peers = peers(3);
        runAll(peers, "run1", 3L * INCREMENTS);
        runAll(peers, "run2", 6L * INCREMENTS);
    }

    /** Runs the three nodes to the end and checks that each saw the expected total. */
    private void runAll(String peers, String run, long expected) throws Exception {
        Path barrier = root.resolve(run);
        Files.createDirectories(barrier);
        List<ChildJvm> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nodes.add(AgentJvm.start(List.of("--sun-misc-unsafe-memory-access=allow", "-Dhotpot.node=n" + i,
                                "-Dhotpot.dir=" + root.resolve("d" + i), "-Dhotpot.heap=shared", "-Dhotpot.size=8m",
                                "-Dhotpot.peers=" + peers), "",
                        System.getProperty("hotpot.test.classes"), SharedTally.class.getName(), barrier.toString(), "n" + i));
            }
            for (ChildJvm node : nodes) {
                String total = node.await("TOTAL", Duration.ofMinutes(3));
                assertEquals("TOTAL " + expected, total, node.transcript());
            }
            Files.writeString(barrier.resolve("exit"), "");
            for (ChildJvm node : nodes) {
                node.awaitSuccess(Duration.ofMinutes(1));
            }
        } catch (AssertionError | RuntimeException failure) {
            for (int i = 0; i < nodes.size(); i++) {
                failure.addSuppressed(new AssertionError("output of n" + (i + 1) + ":\n" + nodes.get(i).transcript()));
            }
            throw failure;
        } finally {
            for (ChildJvm node : nodes) {
                node.close();
            }
        }
    }

    private static String peers(int count) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(i == 1 ? "" : ";").append("n").append(i).append("@127.0.0.1:").append(FreePorts.pair());
        }
        return text.toString();
    }

    /** A node of the application: increments the shared tally, waits for the others, syncs and prints the total. */
    public static final class SharedTally {
        public static void main(String[] args) throws Exception {
            ChildJvm.selfDestructAfter(Duration.ofMinutes(4));
            try {
                run(Path.of(args[0]), args[1]);
            } catch (Throwable failure) {
                // The cluster's threads would keep the JVM alive, and the test waiting for a total.
                failure.printStackTrace();
                System.exit(1);
            }
        }

        private static void run(Path barrier, String node) throws Exception {
            Tally tally = Hotpot.root("tally", Tally.class, Tally::new);
            for (int i = 0; i < INCREMENTS; i++) {
                tally.increment();
            }
            Files.writeString(barrier.resolve("done-" + node), "");
            while (true) {
                try (var done = Files.list(barrier)) {
                    if (done.filter(p -> p.getFileName().toString().startsWith("done-")).count() == 3) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
            Hotpot.sync();
            System.out.println("TOTAL " + tally.count);
            while (!Files.exists(barrier.resolve("exit"))) {
                Thread.sleep(20);
            }
            System.exit(0);
        }
    }
}
