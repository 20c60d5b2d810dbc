package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Hotpot cluster of three peers on 127.0.0.1 for the YCSB client JVMs: nodes {@code n1} and
 * {@code n2} run without an application ({@code hotpot node}), started by the harness, and
 * {@code n3} is whichever YCSB client JVM runs, joining with the agent through the binding's
 * {@code hotpot.*} properties. Every node keeps a full copy of the heap in its own folder under one
 * directory, and every commit is durable on all three ({@code replicas=3}) before it returns.
 *
 * <p>The application-less nodes start first, so one of them creates the heap and is its primary:
 * the YCSB JVM's node is a backup, and its transactions commit through that primary. The YCSB
 * node has the highest id because the coordinator hands its leadership to the live peer that is
 * primary of the fewest heaps, the lowest id among equals: with the lowest, the restarted client
 * node would take the leadership at every run and drop it again at its end, and a run would begin
 * with an election.
 *
 * <p>Threading: as {@link PeerCluster}.
 */
final class HotpotCluster extends PeerCluster {
    /** The node id of the YCSB client JVMs. */
    static final String CLIENT_NODE = "n3";
    /**
     * The client node's logging: Ratis, inside the coordinator, logs WARNING lines naming exceptions
     * when a connection closes (its node leaving at JVM exit among them), which the harness would
     * take for the binding's failures; its SEVERE lines and every line of Hotpot's own stay.
     */
    private static final String CLIENT_LOGGING = """
            handlers=java.util.logging.ConsoleHandler
            java.util.logging.ConsoleHandler.level=ALL
            .level=INFO
            org.apache.ratis.level=SEVERE
            """;

    private final Path dir;
    private final String peers;

    private HotpotCluster(Path dir, String peers) {
        this.dir = dir;
        this.peers = peers;
    }

    /**
     * Starts the application-less nodes with their folders under {@code dir} and logs in
     * {@code logs}, and waits until both hold heap {@code heap} of {@code size} bytes.
     *
     * @param java     the {@code java} launcher for the nodes
     * @param agentJar {@code hotpot.jar}, whose {@code node} command the nodes run
     */
    static HotpotCluster start(Path java, Path agentJar, Path dir, Path logs, String heap, String size)
            throws IOException, InterruptedException {
        List<Integer> ports = FreePorts.pairs(MEMBERS);
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            peers.add("n" + (i + 1) + "@127.0.0.1:" + ports.get(i));
        }
        HotpotCluster cluster = new HotpotCluster(dir, String.join(";", peers));
        try {
            Files.writeString(cluster.clientLogging(), CLIENT_LOGGING, StandardCharsets.UTF_8);
            for (int i = 1; i < MEMBERS; i++) {
                String node = "n" + i;
                List<String> command = new ArrayList<>(List.of(java.toString()));
                command.addAll(YcsbLauncher.JVM_OPTIONS);
                command.addAll(List.of("-jar", agentJar.toAbsolutePath().toString(), "node", "--node", node,
                        "--peers", cluster.peers, "--dir", dir.resolve(node).toAbsolutePath().toString(), "--heap", heap,
                        "--size", size, "--replicas", String.valueOf(MEMBERS)));
                cluster.start(node, command, dir, logs.resolve("hotpot-" + node + ".log"));
            }
            cluster.awaitReady(node -> Pattern.compile("node " + node + " holds heap " + Pattern.quote(heap)));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    List<String> clientJvmOptions() {
        return List.of("-Djava.util.logging.config.file=" + clientLogging().toAbsolutePath());
    }

    private Path clientLogging() {
        return dir.resolve("client-logging.properties");
    }

    @Override
    Map<String, String> clientProperties() {
        return Map.of("hotpot.node", CLIENT_NODE, "hotpot.peers", peers, "hotpot.replicas", String.valueOf(MEMBERS),
                "hotpot.dir", dir.resolve(CLIENT_NODE).toAbsolutePath().toString());
    }
}
