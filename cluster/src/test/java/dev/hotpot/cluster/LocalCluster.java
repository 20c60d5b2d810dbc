package dev.hotpot.cluster;

import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node JVMs of a test cluster: each runs a test main ({@link BankNode}, {@link ListNode}) with its
 * own folder and two ports (data, and coordinator on the next). On 127.0.0.1 with free ports, or,
 * given {@link NetworkNamespaces}, each in its own namespace with its own address and a cluster
 * secret (the addresses are not loopback ones). Starts, kills (SIGKILL) and restarts them, and
 * kills every one that is left when closed.
 *
 * <p>Threading: one test thread drives it.
 */
final class LocalCluster implements AutoCloseable {
    /** Each namespace has its own ports: every node listens on the same ones. */
    private static final int NAMESPACE_PORT = 7101;

    private final Path root;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, ChildJvm> running = new LinkedHashMap<>();
    private final List<String> extraOptions;
    private final Class<?> main;
    private final List<String> mainArgs;
    /** The nodes' namespaces, or null for a cluster on 127.0.0.1. */
    private final NetworkNamespaces network;

    /**
     * A cluster on 127.0.0.1.
     *
     * @param main     the class each node runs; its arguments are the control folder, the node's
     *                 witness file, then {@code mainArgs}
     */
    LocalCluster(Path root, int nodes, Class<?> main, List<String> mainArgs, List<String> extraOptions) throws IOException {
        this(root, nodes, main, mainArgs, extraOptions, null);
    }

    /** A cluster whose node {@code nK} runs in namespace K of {@code network}, or on 127.0.0.1 when it is null. */
    LocalCluster(Path root, int nodes, Class<?> main, List<String> mainArgs, List<String> extraOptions,
                 NetworkNamespaces network) throws IOException {
        this.root = root;
        this.main = main;
        this.mainArgs = mainArgs;
        this.network = network;
        this.extraOptions = new ArrayList<>(extraOptions);
        Files.createDirectories(control());
        if (network != null) {
            Path secret = root.resolve("secret");
            Files.writeString(secret, "test cluster secret " + System.nanoTime());
            this.extraOptions.add("-Dhotpot.secretFile=" + secret);
        }
        for (int i = 1; i <= nodes; i++) {
            String id = "n" + i;
            ids.add(id);
            ports.put(id, network == null ? FreePorts.pair() : NAMESPACE_PORT);
        }
    }

    String peers() {
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            text.append(text.isEmpty() ? "" : ";").append(id).append('@').append(host(id)).append(':')
                    .append(ports.get(id));
        }
        return text.toString();
    }

    /** host:port of node {@code id}'s data port. */
    String address(String id) {
        return host(id) + ":" + ports.get(id);
    }

    private String host(String id) {
        return network == null ? "127.0.0.1" : network.address(number(id));
    }

    /** K for node {@code nK}. */
    static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    List<String> ids() {
        return ids;
    }

    Path control() {
        return root.resolve("control");
    }

    Path witness(String id) {
        return root.resolve("witness-" + id + ".txt");
    }

    List<Path> witnesses() {
        return ids.stream().map(this::witness).toList();
    }

    /** How many {@code ack} lines the witness files of {@code nodes} hold. */
    long acknowledged(List<String> nodes) throws IOException {
        long acked = 0;
        for (String id : nodes) {
            Path file = witness(id);
            if (Files.exists(file)) {
                try (var lines = Files.lines(file)) {
                    acked += lines.filter(line -> line.startsWith("ack ")).count();
                }
            }
        }
        return acked;
    }

    /**
     * Waits, at most 120 s, until the witness files of {@code nodes} hold {@code count} {@code ack}
     * lines; restarts any of them that exits meanwhile (it stopped itself to resynchronise).
     */
    void awaitAcknowledged(List<String> nodes, long count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged(nodes) < count) {
            for (String id : nodes) {
                ChildJvm jvm = running.get(id);
                if (jvm == null || !jvm.isAlive()) {
                    System.out.println("node " + id + " exited; restarting it");
                    start(id);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(nodes + " acknowledged only " + acknowledged(nodes) + " commits within 120 s,"
                        + " wanted " + count);
            }
            Thread.sleep(20);
        }
    }

    /** {@link #awaitAcknowledged} for each node alone: every node has committed {@code count} times. */
    void awaitEachAcknowledged(long count) throws IOException, InterruptedException {
        for (String id : ids) {
            awaitAcknowledged(List.of(id), count);
        }
    }

    /** Starts every node, then waits for each, up to {@code ready}, until it has opened its heap. */
    void startAll(Duration ready) throws IOException, InterruptedException {
        for (String id : ids) {
            start(id);
        }
        for (String id : ids) {
            awaitReady(id, ready);
        }
    }

    /** Starts node {@code id} (again, after a kill: with the same folder). */
    ChildJvm start(String id) throws IOException, InterruptedException {
        return start(id, List.of());
    }

    /** As {@link #start(String)}, with more JVM options for this start only. */
    ChildJvm start(String id, List<String> more) throws IOException, InterruptedException {
        ChildJvm previous = running.remove(id);
        if (previous != null) {
            previous.close();
            keepTranscript(id, previous);
        }
        List<String> options = new ArrayList<>(List.of(
                "--sun-misc-unsafe-memory-access=allow",
                "-Dhotpot.node=" + id,
                "-Dhotpot.peers=" + peers(),
                "-Dhotpot.dir=" + root.resolve("data-" + id),
                "-Dhotpot.heap=bank",
                "-Dhotpot.size=16m"));
        options.addAll(extraOptions);
        options.addAll(more);
        List<String> args = new ArrayList<>(List.of(control().toString(), witness(id).toString()));
        args.addAll(mainArgs);
        List<String> launcher = network == null ? List.of() : network.launcher(number(id));
        ChildJvm jvm = ChildJvm.start(launcher, options, System.getProperty("java.class.path"), main.getName(),
                args.toArray(String[]::new));
        running.put(id, jvm);
        return jvm;
    }

    ChildJvm jvm(String id) {
        return running.get(id);
    }

    /**
     * The node that logged, last of all, that it became primary (its transcript's newest epoch), or
     * null: for tests whose nodes the test JVM cannot reach over the network.
     */
    String primaryByLog() {
        String primary = null;
        long newest = -1;
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("node (\\S+) is primary of heap \\S+ in epoch (\\d+)");
        for (ChildJvm jvm : running.values()) {
            java.util.regex.Matcher found = line.matcher(jvm.transcript());
            while (found.find()) {
                long epoch = Long.parseLong(found.group(2));
                if (epoch > newest) {
                    newest = epoch;
                    primary = found.group(1);
                }
            }
        }
        return primary;
    }

    /** Waits until the running JVM of node {@code id} has printed that its heap is open (now or before). */
    void awaitReady(String id, Duration timeout) throws InterruptedException {
        ChildJvm jvm = running.get(id);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!jvm.transcript().contains("READY " + id)) {
            if (!jvm.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("node " + id + " did not open its heap within " + timeout
                        + (jvm.isAlive() ? "" : " (it exited)") + "; output so far:\n" + jvm.transcript());
            }
            Thread.sleep(20);
        }
    }

    void kill(String id) throws InterruptedException, IOException {
        ChildJvm jvm = running.remove(id);
        if (jvm != null) {
            jvm.kill();
            keepTranscript(id, jvm);
        }
    }

    /** Whether any JVM of any node, running or ended, printed {@code text}. */
    boolean anyPrinted(String text) throws IOException {
        for (ChildJvm jvm : running.values()) {
            if (jvm.transcript().contains(text)) {
                return true;
            }
        }
        for (String id : ids) {
            Path kept = logs().resolve(id + ".txt");
            if (Files.exists(kept) && Files.readString(kept).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private Path logs() {
        return Path.of(System.getProperty("hotpot.cluster.logs", "target/cluster-logs")).resolve(root.getFileName());
    }

    /** Appends the output of a node's JVM to {@code target/cluster-logs/<root>/<id>.txt}, for a failure's post-mortem. */
    private void keepTranscript(String id, ChildJvm jvm) throws IOException {
        Path logs = logs();
        Files.createDirectories(logs);
        Files.writeString(logs.resolve(id + ".txt"), jvm.transcript(), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Tells every node to stop its work, then, once all stopped, to sync and write its state file;
     * waits for each and returns the files.
     */
    Map<String, Path> stopAndCollect(Duration timeout) throws IOException, InterruptedException {
        Files.writeString(control().resolve("stop"), "");
        for (String id : List.copyOf(running.keySet())) {
            awaitOrRestart(id, "STOPPED", timeout);
        }
        Files.writeString(control().resolve("collect"), "");
        Map<String, Path> states = new LinkedHashMap<>();
        for (String id : List.copyOf(running.keySet())) {
            awaitOrRestart(id, "STATE", timeout);
            states.put(id, control().resolve("state-" + id + ".txt"));
        }
        return states;
    }

    /**
     * Restarts every node that died (with the options of a plain start), until all run and have
     * opened their heap: a node may die while another starts (it stopped itself to resynchronise,
     * or a test hook halted it). Returns how many of the dead had printed {@code marker} (null: none
     * is looked for).
     */
    int restartDead(String marker) throws IOException, InterruptedException {
        int marked = 0;
        for (int round = 0; round < 20; round++) {
            boolean allUp = true;
            for (String id : ids) {
                ChildJvm jvm = running.get(id);
                if (jvm == null || !jvm.isAlive()) {
                    if (jvm != null && marker != null && jvm.transcript().contains(marker)) {
                        marked++;
                    }
                    start(id);
                    allUp = false;
                }
            }
            try {
                for (String id : ids) {
                    awaitReady(id, Duration.ofSeconds(90));
                }
            } catch (AssertionError exited) {
                allUp = false;
            }
            if (allUp) {
                return marked;
            }
        }
        throw new AssertionError("the nodes did not all stay up through 20 rounds of restarts");
    }

    /**
     * Waits for node {@code id} to print {@code line}; a node that exits first (it stopped itself to
     * resynchronise, or a test hook halted it) is restarted, and finds the control files at once.
     */
    private void awaitOrRestart(String id, String line, Duration timeout) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            ChildJvm jvm = running.get(id);
            try {
                jvm.await(line, timeout);
                return;
            } catch (AssertionError exited) {
                // The output ends a moment before the process does.
                if (!jvm.waitForExit(Duration.ofSeconds(10)) || attempt >= 5) {
                    if (jvm.isAlive()) {
                        jvm.dumpThreads();
                        keepTranscript(id, jvm);
                    }
                    throw exited;
                }
                System.out.println("node " + id + " exited before " + line + "; restarting it");
                start(id);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Files.writeString(control().resolve("exit"), "");
        for (var entry : running.entrySet()) {
            entry.getValue().close();
            keepTranscript(entry.getKey(), entry.getValue());
        }
        running.clear();
    }
}
