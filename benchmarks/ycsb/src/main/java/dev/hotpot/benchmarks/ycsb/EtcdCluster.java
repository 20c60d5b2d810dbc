package dev.hotpot.benchmarks.ycsb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Three etcd members on 127.0.0.1, a fresh cluster with a data folder each under one directory,
 * on ports picked free. etcd's defaults otherwise: each member fsyncs its write-ahead log before
 * it acknowledges an entry, and the leader acknowledges a write once a majority has.
 *
 * <p>Threading: as {@link PeerCluster}.
 */
final class EtcdCluster extends PeerCluster {
    private static final Pattern READY = Pattern.compile("ready to serve client requests");

    private final List<String> clientUrls = new ArrayList<>();

    private EtcdCluster() {
    }

    /** The {@code etcd} program on the PATH, if there is one. */
    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code members} members with their data folders under {@code dir} and their logs in
     * {@code logs}, and waits until each serves clients.
     */
    static EtcdCluster start(int members, Path dir, Path logs) throws IOException, InterruptedException {
        Path etcd = binary().orElseThrow(() -> new IOException("no etcd on the PATH; install it, for example"
                + " apt-get install etcd-server"));
        List<Integer> ports = FreePorts.pairs(members);
        List<String> initial = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            initial.add(name(i) + "=" + url(ports.get(i) + 1));
        }
        EtcdCluster cluster = new EtcdCluster();
        try {
            for (int i = 0; i < members; i++) {
                String client = url(ports.get(i));
                String peer = url(ports.get(i) + 1);
                cluster.clientUrls.add(client);
                cluster.start(name(i), List.of(etcd.toString(), "--name", name(i),
                        "--data-dir", dir.resolve(name(i)).toAbsolutePath().toString(),
                        "--listen-client-urls", client, "--advertise-client-urls", client,
                        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                        "--initial-cluster", String.join(",", initial), "--initial-cluster-state", "new",
                        "--initial-cluster-token", "hotpot-ycsb-" + ProcessHandle.current().pid()),
                        dir, logs.resolve("etcd-" + name(i) + ".log"));
            }
            cluster.awaitReady(name -> READY);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    Map<String, String> clientProperties() {
        return Map.of(EtcdClient.ENDPOINTS, String.join(",", clientUrls));
    }

    private static String name(int index) {
        return "e" + (index + 1);
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
