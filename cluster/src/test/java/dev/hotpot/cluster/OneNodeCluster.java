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
 * only peer, with a cluster secret; heap {@code bank} with one account under root {@code account}.
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
        Properties settings = settings("n1", "n1@127.0.0.1:" + port);
        settings.setProperty("hotpot.secretFile", secretFile.toString());
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
