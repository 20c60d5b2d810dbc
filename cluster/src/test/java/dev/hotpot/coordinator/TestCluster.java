package dev.hotpot.coordinator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Coordinator replicas in this JVM on free local ports, each with its own storage folder under
 * {@code root}, which outlives a stop so that a replica can be restarted on it.
 *
 * <p>Threading: used by the test thread only.
 */
final class TestCluster implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /** Ratis narrates every election at INFO; the tests keep its warnings. Held, or the level is lost with it. */
    private static final java.util.logging.Logger RATIS = java.util.logging.Logger.getLogger("org.apache.ratis");

    static {
        RATIS.setLevel(java.util.logging.Level.WARNING);
    }

    final List<Peer> peers;
    private final Path root;
    private final CoordinatorSettings settings;
    private final Map<String, CoordinatorServer> running = new LinkedHashMap<>();
    private final List<CoordinatorClient> clients = new ArrayList<>();

    private TestCluster(List<Peer> peers, Path root, CoordinatorSettings settings) {
        this.peers = peers;
        this.root = root;
        this.settings = settings;
    }

    /** A cluster of {@code size} peers, none started yet. */
    static TestCluster of(int size, Path root, CoordinatorSettings settings) throws IOException {
        List<Peer> peers = new ArrayList<>();
        for (int port : freePortPairs(size)) {
            peers.add(new Peer("n" + (peers.size() + 1), HOST, port));
        }
        return new TestCluster(List.copyOf(peers), root, settings);
    }

    /**
     * {@code count} ports p, each with p + 1 free too, and at least 2 apart. The operating system may
     * hand them to someone else before the replicas bind them, which on a test machine is rare.
     */
    private static List<Integer> freePortPairs(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (ports.size() < count) {
                ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                held.add(first);
                int port = first.getLocalPort();
                if (port >= 65534 || taken.contains(port) || taken.contains(port + 1)) {
                    continue;
                }
                try {
                    held.add(new ServerSocket(port + 1, 1, InetAddress.getByName(HOST)));
                } catch (IOException busy) {
                    continue; // port + 1 is in use: try another
                }
                ports.add(port);
                taken.add(port);
                taken.add(port + 1);
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    TestCluster startAll() throws IOException {
        for (Peer peer : peers) {
            start(peer.id());
        }
        return this;
    }

    CoordinatorServer start(String id) throws IOException {
        CoordinatorServer server = CoordinatorServer.start(id, peers, root.resolve(id), settings);
        running.put(id, server);
        return server;
    }

    void stop(String id) {
        running.remove(id).close();
    }

    void stopAll() {
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }

    CoordinatorServer server(String id) {
        return running.get(id);
    }

    Path storage(String id) {
        return root.resolve(id);
    }

    /** A client of this cluster, closed with it. */
    CoordinatorClient client() {
        CoordinatorClient client = new CoordinatorClient(peers, settings);
        clients.add(client);
        return client;
    }

    /** The running replica that leads, once one does. */
    CoordinatorServer awaitLeader(Duration timeout) {
        CoordinatorServer[] leader = new CoordinatorServer[1];
        await(timeout, () -> "a leader among " + running.keySet(), () -> {
            for (CoordinatorServer server : running.values()) {
                if (server.isLeader()) {
                    leader[0] = server;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** Polls {@code condition} every 20 ms until it holds, failing after {@code timeout}. */
    static void await(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (CoordinatorClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        for (String id : List.copyOf(running.keySet())) {
            try {
                stop(id);
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
