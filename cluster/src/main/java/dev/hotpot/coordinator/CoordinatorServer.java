package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;
import dev.hotpot.HotpotException;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static java.lang.System.Logger.Level.INFO;

/**
 * One coordinator replica: a Ratis server of the group formed by the peer list, holding the
 * {@link ClusterState} in its state machine and its log and snapshots under its storage folder. It
 * listens on its peer's port plus one. While it leads, it also detects failed members from their
 * heartbeats.
 *
 * <p>Invariants: every replica started with the same peer list (in any order) joins the same group;
 * a replica restarted on its storage folder recovers the state it had applied.
 *
 * <p>Threading: safe from any thread; {@link #close} is idempotent.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CoordinatorServer.class.getName());

    private final Peer self;
    private final RaftGroup group;
    private final RaftServer server;
    private final ScheduledExecutorService timer;

    private CoordinatorServer(Peer self, RaftGroup group, RaftServer server, ScheduledExecutorService timer) {
        this.self = self;
        this.group = group;
        this.server = server;
        this.timer = timer;
    }

    /**
     * Starts this node's replica. It serves once a majority of the peers runs and has elected a
     * leader; {@link CoordinatorClient#awaitReady} waits for that.
     *
     * @param selfId     this node's id, one of {@code peers}
     * @param peers      every coordinator replica of the cluster, the same list on every node
     * @param storageDir this replica's folder for its log and snapshots; created if missing
     * @throws ConfigurationException if the peer list is invalid or does not name {@code selfId}
     * @throws IOException if the storage folder cannot be used or the port is taken
     */
    public static CoordinatorServer start(String selfId, List<Peer> peers, Path storageDir,
                                          CoordinatorSettings settings) throws IOException {
        List<Peer> checked = Peer.checkGroup(peers);
        Peer self = checked.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow(
                () -> new ConfigurationException("coordinator id=" + selfId + " is not in the peer list " + checked
                        + ": start each peer with its own id from the list"));
        Files.createDirectories(storageDir);
        RaftGroup group = RaftSetup.group(checked);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("hotpot-coordinator-" + selfId).factory());
        RaftServer server = null;
        try {
            server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(selfId))
                    .setGroup(group)
                    .setProperties(RaftSetup.serverProperties(self, storageDir, settings))
                    .setParameters(RaftSetup.parameters(settings))
                    .setStateMachine(new CoordinatorStateMachine(selfId, settings, timer))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
        } catch (IOException e) {
            closeQuietly(server, e);
            timer.shutdownNow();
            throw new IOException("coordinator " + self + " could not start on port " + self.coordinatorPort()
                    + " (its port + 1) with storage " + storageDir + ": " + e.getMessage()
                    + "; check that the port is free and the folder writable", e);
        }
        LOG.log(INFO, () -> "coordinator " + self + " started on port " + self.coordinatorPort() + ", group "
                + group.getGroupId() + ", storage " + storageDir);
        return new CoordinatorServer(self, group, server, timer);
    }

    public String id() {
        return self.id();
    }

    /** Whether this replica is currently the leader (it may lose that at any moment). */
    public boolean isLeader() {
        try {
            return server.getDivision(group.getGroupId()).getInfo().isLeader();
        } catch (IOException closed) {
            return false; // the division is gone only once the server closes
        }
    }

    /** The state this replica has applied: possibly behind the leader's, for diagnostics and tests. */
    public ClusterState appliedState() {
        try {
            return ((CoordinatorStateMachine) server.getDivision(group.getGroupId()).getStateMachine()).appliedState();
        } catch (IOException closed) {
            throw new HotpotException("coordinator " + self + " is closed: its state can no longer be read", closed);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new HotpotException("coordinator " + self + " did not close cleanly: " + e.getMessage(), e);
        } finally {
            timer.shutdownNow();
        }
    }

    private static void closeQuietly(RaftServer server, IOException failure) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
