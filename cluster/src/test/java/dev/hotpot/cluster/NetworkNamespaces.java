package dev.hotpot.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One Linux network namespace per node, joined by a bridge, so that a test can cut the links
 * between node JVMs the way a network fails: silently, for whole nodes or single directions.
 * Node {@code i} (from 1) has address {@code 10.213.<run>.<i>} on its {@code eth0}; every node
 * starts with {@link #launcher(int)} in its namespace.
 *
 * <ul>
 *   <li>{@link #isolate(int)}: the node's link goes down; nothing reaches it or leaves it.</li>
 *   <li>{@link #cutOneWay(int, int)}: packets from one node to another go to a hardware address no
 *       one has, and are dropped without an error; the other direction still flows.</li>
 *   <li>{@link #heal()}: every link up, every cut undone.</li>
 * </ul>
 *
 * <p>Needs root and the {@code ip} tool ({@link #unavailableReason()} says why not). Names carry
 * this JVM's pid so that runs side by side do not meet; {@link #close()} deletes everything made.
 *
 * <p>Threading: one test thread drives it.
 */
final class NetworkNamespaces implements AutoCloseable {
    /** An address on the bridge that no node has: frames sent to it are dropped by every receiver. */
    private static final String NOWHERE = "02:00:00:00:00:01";

    private final String run = Long.toString(ProcessHandle.current().pid() % 1_000_000);
    private final int subnet = (int) (ProcessHandle.current().pid() % 250) + 1;
    private final int nodes;
    private final List<String> cuts = new ArrayList<>();

    private NetworkNamespaces(int nodes) {
        this.nodes = nodes;
    }

    /** Skips the calling test, saying why, where namespaces cannot be made. */
    static void assumeAvailable() {
        Optional<String> unavailable = unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
    }

    /** Why namespaces cannot be made here, or empty when they can. */
    static Optional<String> unavailableReason() {
        String probe = "hpprobe" + ProcessHandle.current().pid() % 1_000_000;
        try {
            exec("ip", "netns", "add", probe);
            exec("ip", "netns", "del", probe);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot create a network namespace (needs root and iproute2): " + e.getMessage());
        }
    }

    /** Creates the bridge and one namespace per node, all links up; first removes those of runs whose JVM is gone. */
    static NetworkNamespaces create(int nodes) throws IOException {
        removeLeftovers();
        NetworkNamespaces network = new NetworkNamespaces(nodes);
        try {
            network.build();
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Deletes the namespaces and bridges of earlier runs whose JVM no longer runs (it was killed). */
    private static void removeLeftovers() throws IOException {
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher found = Pattern.compile("(?m)^hp(\\d+)-n\\d+").matcher(names);
        Set<String> gone = new TreeSet<>();
        while (found.find()) {
            if (ProcessHandle.of(Long.parseLong(found.group(1))).isEmpty()) {
                quietly("ip", "netns", "del", found.group());
                gone.add(found.group(1));
            }
        }
        for (String run : gone) {
            quietly("ip", "link", "del", "hpbr" + run);
        }
    }

    private void build() throws IOException {
        exec("ip", "link", "add", bridge(), "type", "bridge");
        exec("ip", "link", "set", bridge(), "up");
        for (int i = 1; i <= nodes; i++) {
            exec("ip", "netns", "add", namespace(i));
            exec("ip", "link", "add", hostEnd(i), "type", "veth", "peer", "name", "eth0", "netns", namespace(i));
            exec("ip", "link", "set", hostEnd(i), "master", bridge());
            exec("ip", "link", "set", hostEnd(i), "up");
            inside(i, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
            inside(i, "ip", "link", "set", "eth0", "up");
            inside(i, "ip", "link", "set", "lo", "up");
            boundRetransmissionBackoff(i);
        }
    }

    /**
     * Caps TCP's retransmission timeout at 1 s in the namespace, where the kernel allows it (Linux
     * 6.15 and later): a connection that lost packets during a cut then resumes within a second of
     * the heal, not after a backoff of up to 120 s, and one test can heal and cut again soon.
     */
    private void boundRetransmissionBackoff(int node) throws IOException {
        try {
            inside(node, "sysctl", "-q", "-w", "net.ipv4.tcp_rto_max_ms=1000");
        } catch (IOException unsupported) {
            System.out.println("TCP retransmissions back off as the kernel's default in " + namespace(node) + ": "
                    + unsupported.getMessage());
        }
    }

    String address(int node) {
        return "10.213." + subnet + "." + node;
    }

    /** The command prefix that runs a program in node {@code node}'s namespace. */
    List<String> launcher(int node) {
        return List.of("ip", "netns", "exec", namespace(node));
    }

    /** Takes node {@code node}'s link down: it neither sends nor receives. */
    void isolate(int node) throws IOException {
        exec("ip", "link", "set", hostEnd(node), "down");
    }

    /** Drops every packet from {@code from} to {@code to}, silently; {@code to} to {@code from} still flows. */
    void cutOneWay(int from, int to) throws IOException {
        inside(from, "ip", "neigh", "replace", address(to), "lladdr", NOWHERE, "nud", "permanent", "dev", "eth0");
        cuts.add(from + ">" + to);
    }

    /** Undoes every cut and isolation. */
    void heal() throws IOException {
        for (String cut : cuts) {
            int from = Integer.parseInt(cut.substring(0, cut.indexOf('>')));
            int to = Integer.parseInt(cut.substring(cut.indexOf('>') + 1));
            inside(from, "ip", "neigh", "del", address(to), "dev", "eth0");
        }
        cuts.clear();
        for (int i = 1; i <= nodes; i++) {
            exec("ip", "link", "set", hostEnd(i), "up");
        }
    }

    @Override
    public void close() {
        for (int i = 1; i <= nodes; i++) {
            quietly("ip", "link", "del", hostEnd(i));
            quietly("ip", "netns", "del", namespace(i));
        }
        quietly("ip", "link", "del", bridge());
    }

    private String bridge() {
        return "hpbr" + run;
    }

    private String namespace(int node) {
        return "hp" + run + "-n" + node;
    }

    private String hostEnd(int node) {
        return "hp" + run + "v" + node;
    }

    private void inside(int node, String... command) throws IOException {
        List<String> full = new ArrayList<>(launcher(node));
        full.addAll(List.of(command));
        exec(full.toArray(String[]::new));
    }

    private static void quietly(String... command) {
        try {
            exec(command);
        } catch (IOException | RuntimeException ignored) {
            // Already gone, or never made.
        }
    }

    /** Runs a command to its end, within 10 s; throws with its output when it fails. */
    private static void exec(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
    }
}
