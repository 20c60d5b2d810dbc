package dev.hotpot.samples.bank;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The bank on a cluster of local JVMs: every node runs {@link ClusterBankNode} with the agent, on
 * its own folder under {@code <dir>/cluster}, all sharing one heap. Midway the demo kills the
 * primary's JVM with kill -9, tells how long the survivors' commits paused, restarts the killed
 * node and waits until it commits again; at the end every node checks the total balance and the
 * demo prints each node's figures. A second run finds the bank of the first.
 *
 * <p>Threading: the demo's thread drives it; each node's output is read on its own thread.
 */
final class ClusterBankDemo {
    private static final long START_SECONDS = 180;
    private static final int RESTARTS = 5;
    private static final long EXIT_SECONDS = 20;

    private final int nodes;
    private final int accounts;
    private final int threads;
    private final long seconds;
    private final int port;
    private final Path root;
    private final Path control;
    private final List<DemoNode> members = new ArrayList<>();

    ClusterBankDemo(int nodes, int accounts, int threads, long seconds, int port, Path dir) {
        this.nodes = nodes;
        this.accounts = accounts;
        this.threads = threads;
        this.seconds = seconds;
        this.port = port;
        this.root = dir.resolve("cluster");
        this.control = root.resolve("control");
    }

    /** Runs the demo; returns the process exit status (0: every node found the total unchanged). */
    int run() throws IOException, InterruptedException {
        Files.createDirectories(control);
        Files.deleteIfExists(control.resolve("stop"));
        Files.deleteIfExists(control.resolve("exit"));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(this::killAll));
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            peers.append(peers.isEmpty() ? "" : ";").append('n').append(i).append("@127.0.0.1:").append(port + 10 * (i - 1));
        }
        for (int i = 1; i <= nodes; i++) {
            String id = "n" + i;
            DemoNode node = new DemoNode(id, command(id, peers.toString()), root.resolve(id + ".log"));
            members.add(node);
            node.start(arguments(i == 1));
        }
        System.out.printf(Locale.ROOT, "Starting %d nodes on 127.0.0.1 (peers %s); their logs go to %s/n*.log%n",
                nodes, peers, root);
        await("every node to open the bank", () -> members.stream().allMatch(DemoNode::isReady), START_SECONDS);
        System.out.println(runText(members.getFirst().runLine()));
        long started = System.currentTimeMillis();
        DemoNode primary = primary();
        System.out.printf(Locale.ROOT, "All %d nodes make transfers, %d threads each; %s is the primary.%n", nodes, threads,
                primary == null ? "no node" : primary.id);

        Thread.sleep(seconds * 400);
        DemoNode victim = primary == null ? members.getLast() : primary();
        long killedAt = System.currentTimeMillis();
        victim.kill();
        long exitedAt = System.currentTimeMillis();
        System.out.printf(Locale.ROOT, "%.1f s: kill -9 %s (%s).%n", (killedAt - started) / 1e3, victim.id,
                victim == primary ? "the primary" : "a backup");
        Thread.sleep(Math.max(3_000, seconds * 200));
        List<DemoNode> survivors = members.stream().filter(node -> node != victim).toList();
        for (DemoNode survivor : survivors) {
            long first = survivor.firstCommitAfter(exitedAt);
            System.out.printf(Locale.ROOT, "  %s: first commit %s after the kill%n", survivor.id,
                    first < 0 ? "not yet" : (first - killedAt) + " ms");
        }
        DemoNode next = primary();
        System.out.printf(Locale.ROOT, "  %s is the primary now.%n", next == null ? "no node" : next.id);
        long restartedAt = System.currentTimeMillis();
        victim.start(arguments(false));
        System.out.printf(Locale.ROOT, "%.1f s: restarted %s; it catches up from the primary.%n",
                (restartedAt - started) / 1e3, victim.id);
        restartUntil(victim, () -> victim.isReady() && victim.firstCommitAfter(restartedAt) > 0);
        System.out.printf(Locale.ROOT, "%.1f s: %s is back and commits again.%n",
                (System.currentTimeMillis() - started) / 1e3, victim.id);

        Thread.sleep(Math.max(1_000, started + seconds * 1_000 - System.currentTimeMillis()));
        Files.writeString(control.resolve("stop"), "");
        await("every node to check the total", () -> members.stream().allMatch(node -> node.finalLine() != null), START_SECONDS);
        int status = report(victim, killedAt, survivors);
        Files.writeString(control.resolve("exit"), "");
        for (DemoNode node : members) {
            node.awaitExit(EXIT_SECONDS);
        }
        return status;
    }

    private int report(DemoNode victim, long killedAt, List<DemoNode> survivors) {
        long expected = accounts * BankDemo.INITIAL_BALANCE;
        boolean allUnchanged = true;
        System.out.println("node  transfers  refused  failed  total balance");
        for (DemoNode node : members) {
            String[] f = node.finalLine().split(" ");
            long committed = Long.parseLong(f[1]) + node.committedByEarlierRuns();
            long total = Long.parseLong(f[4]);
            allUnchanged &= total == expected;
            System.out.printf(Locale.ROOT, "%-4s  %9d  %7s  %6s  %,d%s%n", node.id, committed, f[2], f[3], total,
                    node == victim ? "  (killed and restarted)" : "");
        }
        long pause = survivors.stream().mapToLong(node -> node.longestPauseAfter(killedAt)).max().orElse(0);
        System.out.printf(Locale.ROOT, "Commits on the survivors paused for at most %d ms around the kill.%n", pause);
        System.out.printf(Locale.ROOT, "Total balance %,d on every node: %s%n", expected,
                allUnchanged ? "unchanged, as it must be" : "CHANGED on some node");
        System.out.println("Failed transfers are commits caught by the failover; each was reported to its caller and"
                + " applied at most once. Run the demo again: the bank comes back from the nodes' folders.");
        return allUnchanged ? 0 : 1;
    }

    /** The node that logged, in the highest epoch, that it became primary, if it still runs. */
    private DemoNode primary() {
        DemoNode best = null;
        for (DemoNode node : members) {
            if (node.isAlive() && node.primaryEpoch() >= 0 && (best == null || node.primaryEpoch() > best.primaryEpoch())) {
                best = node;
            }
        }
        return best;
    }

    private List<String> command(String id, String peers) {
        String agent = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-javaagent:"))
                .map(argument -> argument.substring("-javaagent:".length()).split("=", 2)[0])
                .findFirst().orElseThrow(() -> new IllegalStateException("run the demo with -javaagent:hotpot.jar"));
        return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n",
                "-javaagent:" + agent + "=dir=" + root.resolve(id) + ",heap=bank,size=64m,node=" + id + ",peers=" + peers,
                "-cp", System.getProperty("java.class.path"), ClusterBankNode.class.getName());
    }

    private List<String> arguments(boolean countRun) {
        return List.of(control.toString(), Integer.toString(accounts), Integer.toString(threads), Boolean.toString(countRun));
    }

    /** Waits for {@code done}, restarting {@code node} whenever its JVM stopped (it may stop itself to resynchronise). */
    private void restartUntil(DemoNode node, BooleanSupplier done) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_SECONDS * 1_000_000_000L;
        for (int restarts = 0; !done.getAsBoolean(); Thread.sleep(50)) {
            if (!node.isAlive()) {
                if (++restarts > RESTARTS) {
                    throw new IllegalStateException(node.id + " stopped " + RESTARTS + " times; see " + node.log());
                }
                System.out.printf(Locale.ROOT, "  %s stopped itself to catch up from a copy of the heap; restarting it.%n",
                        node.id);
                node.start(arguments(false));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node.id + " did not commit again within " + START_SECONDS + " s; see "
                        + node.log());
            }
        }
    }

    private void await(String what, BooleanSupplier done, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            for (DemoNode node : members) {
                if (!node.isAlive() && node.finalLine() == null) {
                    throw new IllegalStateException("node " + node.id + " stopped while waiting for " + what + "; see "
                            + node.log());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting for " + what
                        + "; see the node logs in " + root);
            }
            Thread.sleep(50);
        }
    }

    private static String runText(String runLine) {
        String[] f = runLine.split(" ");
        return String.format(Locale.ROOT, "Run #%s: %s accounts, %s transfers committed by earlier runs, total balance %,d",
                f[1], f[2], f[3], Long.parseLong(f[4]));
    }

    private void killAll() {
        for (DemoNode node : members) {
            if (node.isAlive()) {
                try {
                    node.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
