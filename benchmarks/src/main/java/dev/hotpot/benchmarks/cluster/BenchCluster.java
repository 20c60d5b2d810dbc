package dev.hotpot.benchmarks.cluster;

import dev.hotpot.benchmarks.ScratchDirectory;
import dev.hotpot.coordinator.CoordinatorClient;
import dev.hotpot.coordinator.CoordinatorSettings;
import dev.hotpot.coordinator.HeapAssignment;
import dev.hotpot.coordinator.Peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Three {@link BenchNode} JVMs on 127.0.0.1 forming one cluster, each with its own data folder and
 * two free ports (data, and coordinator on the next), plus a coordinator client to watch heap
 * {@value BenchNode#HEAP}. Starts, kills (SIGKILL) and restarts nodes; restarts nodes that stopped
 * themselves (exit status {@value #EXIT_RESYNC}: the node must resynchronise) and records each such
 * event; kills every node that is left when closed, and at JVM exit.
 *
 * <p>Threading: one harness thread drives it; {@link #node} handles may be used from other threads
 * while that thread waits.
 */
final class BenchCluster implements AutoCloseable {
    /** Exit status of a node that stopped to resynchronise (ClusteredHeap.EXIT_RESYNC). */
    static final int EXIT_RESYNC = 75;
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final List<String> IDS = List.of("n1", "n2", "n3");
    private static final Duration TOUCH_EVERY = Duration.ofMillis(500);
    /** Ratis logs every setting it reads at INFO; held here so that the level set on it stays. */
    private static final java.util.logging.Logger RATIS_LOG = java.util.logging.Logger.getLogger("org.apache.ratis");

    static {
        RATIS_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Path root;
    private final Path logs;
    private final int replicas;
    private final long heapBytes;
    private final Map<String, String> settings;
    private final long childLifetimeSeconds;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, NodeProcess> running = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final Thread killAtExit;
    private CoordinatorClient coordinator;

    /**
     * @param root      where the nodes' data folders go (a scratch directory the caller deletes)
     * @param logs      where each node JVM's output goes, one file per node and start
     * @param replicas  N, the copies of the heap
     * @param settings  extra {@code hotpot.*} settings for every node, without the prefix (lease, backupTimeout, ...)
     */
    BenchCluster(Path root, Path logs, int replicas, long heapBytes, Map<String, String> settings,
                 Duration childLifetime) {
        this.root = root;
        this.logs = logs;
        this.replicas = replicas;
        this.heapBytes = heapBytes;
        this.settings = Map.copyOf(settings);
        this.childLifetimeSeconds = childLifetime.toSeconds();
        try {
            Files.createDirectories(logs);
            for (String id : IDS) {
                int port = freePortPair();
                while (ports.containsValue(port) || ports.containsValue(port + 1) || ports.containsValue(port - 1)) {
                    port = freePortPair();
                }
                ports.put(id, port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cluster: " + e.getMessage(), e);
        }
        killAtExit = Thread.ofPlatform().unstarted(() -> running.values().forEach(NodeProcess::close));
        Runtime.getRuntime().addShutdownHook(killAtExit);
    }

    String peers() {
        StringBuilder text = new StringBuilder();
        for (String id : IDS) {
            text.append(text.isEmpty() ? "" : ";").append(id).append("@127.0.0.1:").append(ports.get(id));
        }
        return text.toString();
    }

    Path dataFolder(String id) {
        return root.resolve("data-" + id);
    }

    /** Starts all three nodes at once (the first ones wait for a majority) and waits until each has opened the heap. */
    void startAll() {
        for (String id : IDS) {
            launch(id);
        }
        for (String id : IDS) {
            awaitReady(id);
        }
    }

    /** Starts node {@code id} on its folder as it is, and waits until it has opened the heap; returns the ready answer. */
    Map<String, String> start(String id) {
        launch(id);
        return awaitReady(id);
    }

    /** Starts node {@code id} without waiting. */
    void launch(String id) {
        NodeProcess previous = running.remove(id);
        if (previous != null) {
            previous.close();
        }
        int start = starts.merge(id, 1, Integer::sum);
        List<String> options = new ArrayList<>(List.of(
                "-Dhotpot.node=" + id,
                "-Dhotpot.peers=" + peers(),
                "-Dhotpot.replicas=" + replicas));
        settings.forEach((key, value) -> options.add("-Dhotpot." + key + "=" + value));
        try {
            running.put(id, NodeProcess.start(id, options, BenchNode.class,
                    List.of(dataFolder(id).toString(), Long.toString(heapBytes), Long.toString(childLifetimeSeconds)),
                    logs.resolve(id + "-" + start + ".log")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id + ": " + e.getMessage(), e);
        }
    }

    Map<String, String> awaitReady(String id) {
        NodeProcess node = node(id);
        String line = node.nextAnswer("start", START_TIMEOUT);
        if (!line.startsWith(BenchNode.READY)) {
            throw new NodeProcess.NodeFailedException(id + " printed '" + line + "' instead of " + BenchNode.READY
                    + "; log " + node.log());
        }
        return NodeProcess.fields(line);
    }

    NodeProcess node(String id) {
        NodeProcess node = running.get(id);
        if (node == null) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return node;
    }

    boolean isRunning(String id) {
        NodeProcess node = running.get(id);
        return node != null && node.isAlive();
    }

    /** Kills node {@code id} with SIGKILL and waits until its JVM is gone. */
    void kill(String id) {
        NodeProcess node = running.remove(id);
        if (node != null) {
            node.kill();
        }
    }

    /** Kills node {@code id} if it runs and deletes its whole data folder (heap and coordinator replica). */
    void wipe(String id) {
        kill(id);
        if (Files.exists(dataFolder(id))) {
            ScratchDirectory.delete(dataFolder(id));
        }
    }

    /**
     * Kills node {@code id} if it runs and deletes its data folder except its coordinator replica's
     * folder: the node comes back with no copy of any heap.
     */
    void wipeHeap(String id) {
        kill(id);
        Path folder = dataFolder(id);
        if (!Files.exists(folder)) {
            return;
        }
        try (var entries = Files.list(folder)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().equals("coordinator")).toList()) {
                if (Files.isDirectory(entry)) {
                    ScratchDirectory.delete(entry);
                } else {
                    Files.delete(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the data folder of node " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restarts every node whose JVM has exited (other than those killed through {@link #kill}), and
     * records why; returns the ids restarted.
     */
    List<String> reviveStopped() {
        List<String> revived = new ArrayList<>();
        for (String id : IDS) {
            NodeProcess node = running.get(id);
            if (node != null && !node.isAlive()) {
                int status = node.exitStatus();
                String event = "node " + id + " exited by itself with status " + status
                        + (status == EXIT_RESYNC ? " (stopped to resynchronise)" : "") + "; log " + node.log()
                        + "; restarted";
                events.add(event);
                System.out.println("  ! " + event);
                launch(id);
                revived.add(id);
            }
        }
        for (String id : revived) {
            awaitReady(id);
        }
        return revived;
    }

    /** What happened that the harness did not ask for (nodes that stopped by themselves). */
    List<String> events() {
        return List.copyOf(events);
    }

    void note(String event) {
        events.add(event);
        System.out.println("  ! " + event);
    }

    CoordinatorClient coordinator() {
        if (coordinator == null) {
            coordinator = new CoordinatorClient(Peer.parse(peers()), CoordinatorSettings.defaults());
        }
        return coordinator;
    }

    HeapAssignment assignment() {
        return coordinator().state().heap(BenchNode.HEAP)
                .orElseThrow(() -> new IllegalStateException("heap " + BenchNode.HEAP + " is not in the catalog"));
    }

    /**
     * Waits until the heap has a primary and N - 1 in-sync backups, restarting nodes that stopped
     * themselves meanwhile; returns that assignment. With {@code touch}, has the primary commit
     * once every {@link #TOUCH_EVERY} while waiting, since the primary adds a backup to the in-sync
     * set only once it has acknowledged a record: on an idle heap a new copy never counts. Without
     * it, the caller's own commits must be running.
     */
    HeapAssignment awaitCopies(Duration timeout, boolean touch) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextTouch = System.nanoTime() + TOUCH_EVERY.toNanos();
        HeapAssignment last = null;
        while (true) {
            reviveStopped();
            try {
                last = assignment();
                if (last.hasPrimary() && last.inSync().size() == replicas - 1) {
                    return last;
                }
                if (touch && last.hasPrimary() && System.nanoTime() > nextTouch && isRunning(last.primary())) {
                    node(last.primary()).request("touch", Duration.ofSeconds(30));
                    nextTouch = System.nanoTime() + TOUCH_EVERY.toNanos();
                }
            } catch (RuntimeException e) {
                // The coordinator may be choosing a leader, or the primary changing: ask again.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("heap " + BenchNode.HEAP + " did not get " + replicas + " copies within "
                        + timeout.toSeconds() + " s; last assignment " + last);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * Waits until every coordinator replica serves a read caught up with the leader: a replica that
     * restarted may lag for seconds after its node holds a copy again (the leader's connection to
     * it may still be backing off), and while it lags, losing another peer leaves no majority.
     */
    void awaitCoordinatorReplicas(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : IDS) {
            while (true) {
                try {
                    coordinator().state(id);
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("coordinator replica " + id + " did not serve a caught-up read"
                                + " within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }
    }

    /** The node ids, the primary's first. */
    List<String> primaryFirst(HeapAssignment assignment) {
        List<String> ordered = new ArrayList<>();
        ordered.add(assignment.primary());
        IDS.stream().filter(id -> !id.equals(assignment.primary())).forEach(ordered::add);
        return ordered;
    }

    @Override
    public void close() {
        try {
            if (coordinator != null) {
                coordinator.close();
            }
        } finally {
            running.values().forEach(NodeProcess::close);
            running.clear();
            try {
                Runtime.getRuntime().removeShutdownHook(killAtExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs already.
            }
        }
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress("127.0.0.1", 0));
                int port = first.getLocalPort();
                if (port >= 65534) {
                    continue;
                }
                try (ServerSocket second = new ServerSocket()) {
                    second.bind(new InetSocketAddress("127.0.0.1", port + 1));
                    return port;
                } catch (IOException taken) {
                    // The next port is in use: try another pair.
                }
            }
        }
        throw new IOException("no two free consecutive ports on 127.0.0.1 after 100 tries");
    }
}
