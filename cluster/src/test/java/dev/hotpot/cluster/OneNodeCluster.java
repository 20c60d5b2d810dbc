package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Settings and data for tests that run a one-node cluster in their own JVM: node {@code n1}, the
 * only peer (with a cluster secret, or none), perhaps joined by node {@code n2}, which is not a
 * peer; heap {@code bank} with one account under root {@code account}.
 *
 * <p>Threading: static.
 */
final class OneNodeCluster {
    static final byte[] SECRET = "a cluster secret of enough bytes".getBytes(StandardCharsets.UTF_8);

    private OneNodeCluster() {
    }

    /** The settings of node n1 on {@code port}, its secret written to a file in {@code root}. */
    static Properties settingsWithSecret(Path root, int port) throws IOException {
        Path secretFile = root.resolve("secret");
        Files.write(secretFile, SECRET);
        Properties settings = settings("n1", peers(port));
        settings.setProperty("hotpot.secretFile", secretFile.toString());
        return settings;
    }

    /** The peers list of a cluster whose only peer is node n1 on {@code port} of 127.0.0.1. */
    static String peers(int port) {
        return "n1@127.0.0.1:" + port;
    }

    /**
     * Starts node n1, the only peer, on {@code port} with its folder {@code dir}, without a secret;
     * a heap it creates has {@code replicas} copies.
     */
    static ClusterNode startPeer(int port, Path dir, int replicas) {
        return ClusterNode.start(ClusterSettings.from(withReplicas(settings("n1", peers(port)), replicas)), dir);
    }

    /** Starts node n2, not a peer, on {@code port + 2} with its folder {@code dir}, joining n1 on {@code port}. */
    static ClusterNode startJoiner(int port, Path dir, int replicas) {
        Properties settings = withReplicas(settings("n2", peers(port)), replicas);
        settings.setProperty("hotpot.address", "127.0.0.1:" + (port + 2));
        return ClusterNode.start(ClusterSettings.from(settings), dir);
    }

    private static Properties withReplicas(Properties settings, int replicas) {
        settings.setProperty("hotpot.replicas", String.valueOf(replicas));
        return settings;
    }

    /** The settings of node {@code node} among {@code peers}, with a start timeout a test can wait for. */
    static Properties settings(String node, String peers) {
        Properties settings = new Properties();
        settings.setProperty("hotpot.node", node);
        settings.setProperty("hotpot.peers", peers);
        settings.setProperty("hotpot.startTimeout", "30s");
        return settings;
    }

    /** Heap {@code bank}, 4 MiB, in {@code dir}. */
    static HeapConfig bank(Path dir) {
        return HeapConfig.builder(dir, "bank").size(4L << 20).build();
    }

    /** Allocates the account, stores {@code balance} in it, and returns its address. */
    static long createAccount(Heap heap, long balance) {
        return heap.transaction(() -> {
            long block = heap.allocate(8);
            heap.putLong(block, balance);
            heap.setRoot("account", block);
            return block;
        });
    }
}
