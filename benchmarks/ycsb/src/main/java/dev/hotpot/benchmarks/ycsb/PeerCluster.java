package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The members of a 3-node store that the harness runs for the YCSB client JVMs of a cluster
 * comparison: started together, each with its own folder and log, and stopped together when
 * closed, and when the harness's JVM exits, whatever the way it exits short of SIGKILL.
 *
 * <p>Invariants: every member started is stopped by {@link #close} or at JVM exit.
 *
 * <p>Threading: used by the harness's thread; the shutdown hook stops the members left running.
 */
abstract class PeerCluster implements AutoCloseable {
    static final int MEMBERS = 3;
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final List<ServerProcess> members = new ArrayList<>();
    private final Thread stopAtExit = Thread.ofPlatform().unstarted(this::stopAll);

    PeerCluster() {
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** The YCSB binding's properties that reach this cluster, added to the system's own. */
    abstract Map<String, String> clientProperties();

    /** JVM options the YCSB client JVMs of this cluster need; none unless a subclass says otherwise. */
    List<String> clientJvmOptions() {
        return List.of();
    }

    /** Starts one member; its output goes to {@code log}. */
    final void start(String name, List<String> command, Path workingDir, Path log) throws IOException {
        members.add(ServerProcess.start(name, command, workingDir, log));
    }

    /** Waits until every member has printed a line matching its own {@code ready.apply(name)}. */
    final void awaitReady(java.util.function.Function<String, Pattern> ready) throws IOException, InterruptedException {
        for (ServerProcess member : members) {
            member.awaitReady(ready.apply(member.name()), START_TIMEOUT);
        }
    }

    private synchronized void stopAll() {
        members.forEach(ServerProcess::stop);
        members.clear();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs already.
        }
    }
}
