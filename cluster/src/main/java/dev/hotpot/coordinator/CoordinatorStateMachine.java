package dev.hotpot.coordinator;

import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The Ratis side of one coordinator replica: decodes log entries and queries, applies commands with
 * {@link Transitions}, snapshots the state into {@link SnapshotFile}s, and runs the
 * {@link FailureDetector} while this replica leads.
 *
 * <p>The cluster id: while the applied state has none, the leader adds a fresh random UUID to each
 * command it puts into the log ({@link #startTransaction}); the first change applied adopts the one
 * its entry carries, so every replica adopts the same.
 *
 * <p>Invariants: the applied state is a function of the log prefix up to the last applied index (a
 * snapshot of index i is the state after entry i); applying never throws, whatever the entry holds.
 *
 * <p>Threading: Ratis applies entries, takes snapshots and reloads them on its one state machine
 * updater thread; queries and {@link #startTransaction} come on its request threads; the failure
 * detector and the leader placement run on the timer.
 */
final class CoordinatorStateMachine extends BaseStateMachine {
    private static final System.Logger LOG = System.getLogger(CoordinatorStateMachine.class.getName());
    private static final long TRANSFER_TIMEOUT_MILLIS = 3_000;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final AppliedState applied;
    private final FailureDetector detector;
    private final LeaderPlacement placement;
    private final ClientId detectorClientId = ClientId.randomId();
    private final AtomicLong detectorCallIds = new AtomicLong();

    CoordinatorStateMachine(String selfId, CoordinatorSettings settings, ScheduledExecutorService timer) {
        this.applied = new AppliedState(timer);
        this.detector = new FailureDetector(selfId, settings, applied::get, this::submit, System::nanoTime, timer,
                AddressProbe::refusesConnections);
        this.placement = new LeaderPlacement(selfId, applied::get, detector::heardRecently, this::transferLeadership, timer,
                System::nanoTime, 2 * settings.lease().toMillis(), settings.lease().toMillis());
    }

    ClusterState appliedState() {
        return applied.get();
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            loadLatestSnapshot();
        }, IOException.class);
    }

    /**
     * Ratis pauses the state machine before it puts a snapshot received from the leader in place, and
     * checks that it is paused before {@link #reinitialize}.
     */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** Called once Ratis installed a snapshot from the leader: the state becomes that snapshot's. */
    @Override
    public void reinitialize() throws IOException {
        loadLatestSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        ClusterState state = SnapshotFile.read(snapshot.getFile().getPath());
        setLastAppliedTermIndex(snapshot.getTermIndex());
        detector.applied(applied.get(), state);
        applied.set(state);
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public long takeSnapshot() throws IOException {
        ClusterState state = applied.get();
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        MD5Hash md5 = SnapshotFile.write(file.toPath(), state);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        return last.getIndex();
    }

    /** On the leader, before a command enters the log: checks it decodes, and adds a cluster id proposal. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) {
        TransactionContext.Builder transaction = TransactionContext.newBuilder()
                .setStateMachine(this)
                .setClientRequest(request);
        MessageCodec.Logged logged;
        try {
            logged = MessageCodec.decodeCommand(request.getMessage().getContent());
        } catch (IOException malformed) {
            TransactionContext refused = transaction.build();
            refused.setException(malformed);
            return refused;
        }
        String proposal = applied.get().clusterId() == null ? UUID.randomUUID().toString() : null;
        return transaction.setLogData(MessageCodec.encodeCommand(logged.command(), proposal)).build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        Reply reply;
        try {
            MessageCodec.Logged logged = MessageCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData());
            ClusterState before = applied.get();
            Transitions.Result result = Transitions.apply(before, logged.command(), logged.clusterIdProposal());
            detector.applied(before, result.state());
            applied.set(result.state());
            if (result.state().version() != before.version()) {
                placement.stateChanged();
            }
            reply = result.reply();
        } catch (IOException | RuntimeException e) {
            // Every replica meets the same entry and fails the same way, so refusing keeps them equal;
            // throwing would stop the replica, and the next one to apply the entry, and the next.
            LOG.log(WARNING, "coordinator could not apply log entry " + termIndex + "; it is refused", e);
            reply = new Reply.Refused("the coordinator could not apply log entry " + termIndex + ": " + e.getMessage());
        }
        updateLastAppliedTermIndex(termIndex);
        return CompletableFuture.completedFuture(Message.valueOf(MessageCodec.encodeReply(reply)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        Query query;
        try {
            query = MessageCodec.decodeQuery(request.getContent());
        } catch (IOException malformed) {
            return CompletableFuture.failedFuture(new StateMachineException(malformed.getMessage(), malformed));
        }
        CompletableFuture<Reply> reply = switch (query) {
            case Query.GetState _ -> CompletableFuture.completedFuture(new Reply.StateReply(applied.get()));
            case Query.AwaitChange await -> applied.awaitChange(await.knownVersion(),
                    Duration.ofMillis(await.maxWaitMillis())).thenApply(Reply.StateReply::new);
            case Query.Heartbeat heartbeat -> CompletableFuture.completedFuture(
                    detector.heard(heartbeat.nodeId(), heartbeat.positions()));
            case Query.Suspect suspect -> CompletableFuture.completedFuture(
                    detector.suspected(suspect.nodeId(), suspect.positions(), suspect.suspectId()));
        };
        return reply.thenApply(r -> Message.valueOf(MessageCodec.encodeReply(r)));
    }

    @Override
    public void notifyLeaderReady() {
        detector.startLeading();
        placement.startLeading();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        detector.stopLeading();
        placement.stopLeading();
    }

    @Override
    public void close() throws IOException {
        detector.stopLeading();
        placement.stopLeading();
        applied.close();
        super.close();
    }

    /** Asks this (leading) server to hand its leadership to peer {@code peerId}. */
    private CompletableFuture<?> transferLeadership(String peerId) {
        RaftServer server = getServer().join();
        TransferLeadershipRequest request = new TransferLeadershipRequest(detectorClientId, server.getId(),
                getGroupId(), detectorCallIds.incrementAndGet(), RaftPeerId.valueOf(peerId), TRANSFER_TIMEOUT_MILLIS);
        try {
            return server.transferLeadershipAsync(request).thenApply(CoordinatorStateMachine::successful);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static RaftClientReply successful(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return reply;
    }

    /** Sends a command of the failure detector into the log through this (leading) server. */
    private CompletableFuture<?> submit(Command command) {
        RaftServer server = getServer().join(); // completed by initialize, before this replica can lead
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(detectorClientId)
                .setServerId(server.getId())
                .setGroupId(getGroupId())
                .setCallId(detectorCallIds.incrementAndGet())
                .setMessage(Message.valueOf(MessageCodec.encodeCommand(command, null)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return server.submitClientRequestAsync(request).thenApply(CoordinatorStateMachine::successful);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
