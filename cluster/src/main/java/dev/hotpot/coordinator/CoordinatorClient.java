package dev.hotpot.coordinator;

import dev.hotpot.HotpotException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Talks to the coordinator replicas: reads the {@link ClusterState}, sends commands, heartbeats.
 * Every call retries across leader changes for up to the settings' request timeout (plus one
 * attempt, at most 3 s), then throws {@link CoordinatorUnavailableException}; a command the
 * coordinator refuses throws {@link CommandRefusedException} (or {@link EpochMismatchException}).
 *
 * <p>Reads are linearizable: a state read reflects every command acknowledged before the read began.
 *
 * <p>Threading: safe from any thread; calls block the caller.
 */
public final class CoordinatorClient implements AutoCloseable {
    /**
     * One try at one replica: short, so that a leader cut off from the others costs a caller (a
     * primary removing a silent backup) about a second before the client asks another replica.
     */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** How long the leader holds a wait for a change: well within one attempt. */
    private static final Duration LONG_POLL = Duration.ofMillis(500);
    private static final long RETRY_PAUSE_MILLIS = 100;
    /** While waiting, the peers are asked whether they run this group once every this many rounds (a second). */
    private static final int ROUNDS_PER_GROUP_CHECK = 10;
    /** Checks in a row in which a reachable peer ran another group before the wait gives up. */
    private static final int GROUP_MISMATCHES_TO_FAIL = 3;

    private final List<Peer> peers;
    private final Duration requestTimeout;
    private final RaftClient raft;
    private final RaftClient probe;
    /**
     * Heartbeats go through their own client with short attempts: when the leader dies, the next
     * heartbeat must find the new one well within the lease it grants (two leases, at least 2 s, to
     * members it has not heard), not after the main client's attempt timeout.
     */
    private final RaftClient heartbeats;

    public CoordinatorClient(List<Peer> peers, CoordinatorSettings settings) {
        this.peers = Peer.checkGroup(peers);
        this.requestTimeout = settings.requestTimeout();
        RaftGroup group = RaftSetup.group(this.peers);
        Parameters parameters = RaftSetup.parameters(settings);
        TimeDuration pause = TimeDuration.valueOf(RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        TimeDuration requestTimeout = RaftSetup.duration(settings.requestTimeout());
        RetryPolicy untilTimeout = RequestTypeDependentRetryPolicy.newBuilder()
                .setRetryPolicy(TypeCase.WRITE, RetryPolicies.retryForeverWithSleep(pause))
                .setRetryPolicy(TypeCase.READ, RetryPolicies.retryForeverWithSleep(pause))
                .setTimeout(TypeCase.WRITE, requestTimeout)
                .setTimeout(TypeCase.READ, requestTimeout)
                .build();
        Duration attempt = settings.requestTimeout().compareTo(ATTEMPT_TIMEOUT) < 0
                ? settings.requestTimeout() : ATTEMPT_TIMEOUT;
        this.raft = RaftClient.newBuilder()
                .setRaftGroup(group)
                .setParameters(parameters)
                .setProperties(RaftSetup.clientProperties(attempt))
                .setRetryPolicy(untilTimeout)
                .build();
        // One attempt per call: awaitReady keeps its own deadline and asks each peer in turn.
        this.probe = RaftClient.newBuilder()
                .setRaftGroup(group)
                .setParameters(parameters)
                .setProperties(RaftSetup.clientProperties(PROBE_TIMEOUT))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
        Duration beat = settings.heartbeatInterval();
        this.heartbeats = RaftClient.newBuilder()
                .setRaftGroup(group)
                .setParameters(parameters)
                .setProperties(RaftSetup.clientProperties(beat))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10,
                        TimeDuration.valueOf(Math.max(10, beat.toMillis() / 5), TimeUnit.MILLISECONDS)))
                .build();
    }

    /** The current state, as the leader (or a replica caught up with it) has it. */
    public ClusterState state() {
        Message query = Message.valueOf(MessageCodec.encodeQuery(new Query.GetState()));
        return stateOf(call("read the state", () -> raft.io().sendReadOnly(query)));
    }

    /** The current state, served by the replica {@code peerId} after it caught up with the leader. */
    public ClusterState state(String peerId) {
        if (peers.stream().noneMatch(peer -> peer.id().equals(peerId))) {
            throw new IllegalArgumentException("no coordinator peer id=" + peerId + " in " + peers);
        }
        Message query = Message.valueOf(MessageCodec.encodeQuery(new Query.GetState()));
        return stateOf(call("read the state from peer " + peerId,
                () -> raft.io().sendReadOnly(query, RaftPeerId.valueOf(peerId))));
    }

    /**
     * Adds {@code member} to the cluster, or updates its address, and marks it live; a member that
     * returns after a failure takes back the heaps it was the last primary of. {@code member.index()}
     * and {@code member.live()} are ignored: the coordinator assigns the index at the first join.
     *
     * @return the state after the join
     * @throws CommandRefusedException if the id joined before with another {@code peer} flag, or another
     *         live member has the address
     */
    public ClusterState join(Member member) {
        return stateOf(write("join member " + member.id(),
                new Command.Join(member.id(), member.host(), member.port(), member.peer())));
    }

    /**
     * Creates heap {@code name} with the live member {@code creatorId} as primary (epoch 1, no backup),
     * unless it exists.
     *
     * @param replicas copies the heap wants, the primary's included
     * @return the heap's assignment, new or existing
     * @throws CommandRefusedException if it exists with another size or replica count (both named), or
     *         the creator is not a live member
     */
    public HeapAssignment createHeapIfAbsent(String name, long sizeBytes, int replicas, String creatorId) {
        return heapOf(write("create heap " + name, new Command.CreateHeap(name, sizeBytes, replicas, creatorId)));
    }

    /**
     * Adds {@code nodeId} as an in-sync backup of {@code heap} if the heap is still at
     * {@code expectedEpoch}; the epoch then grows by one.
     *
     * @return the new assignment
     * @throws EpochMismatchException if the epoch moved on; it carries the current assignment
     * @throws CommandRefusedException if the node is not live, holds a copy already, or the heap has
     *         no primary or all its replicas
     */
    public HeapAssignment addBackup(String heap, long expectedEpoch, String nodeId) {
        return heapOf(write("add backup " + nodeId + " to heap " + heap,
                new Command.AddBackup(heap, expectedEpoch, nodeId)));
    }

    /**
     * Moves {@code heap} to a new epoch with the same primary and backups, if it is still at
     * {@code expectedEpoch} with {@code primaryId} primary (a restarted primary's first step).
     *
     * @return the new assignment
     * @throws EpochMismatchException if the epoch moved on; it carries the current assignment
     * @throws CommandRefusedException if {@code primaryId} is not the heap's primary
     */
    public HeapAssignment renewEpoch(String heap, long expectedEpoch, String primaryId) {
        return heapOf(write("renew the epoch of heap " + heap, new Command.RenewEpoch(heap, expectedEpoch, primaryId)));
    }

    /**
     * Hands {@code heap} from {@code primaryId} (a primary that restarted) to its first live in-sync
     * backup, if it is still at {@code expectedEpoch}.
     *
     * @return the new assignment
     * @throws EpochMismatchException if the epoch moved on; it carries the current assignment
     * @throws CommandRefusedException if {@code primaryId} is not the primary or no in-sync backup is live
     */
    public HeapAssignment stepDown(String heap, long expectedEpoch, String primaryId) {
        return heapOf(write("step down from heap " + heap, new Command.StepDown(heap, expectedEpoch, primaryId)));
    }

    /**
     * Removes {@code nodeId} from the in-sync backups of {@code heap} if the heap is still at
     * {@code expectedEpoch}; the epoch then grows by one.
     *
     * @return the new assignment
     * @throws EpochMismatchException if the epoch moved on; it carries the current assignment
     * @throws CommandRefusedException if the node is not an in-sync backup of the heap
     */
    public HeapAssignment removeBackup(String heap, long expectedEpoch, String nodeId) {
        return heapOf(write("remove backup " + nodeId + " from heap " + heap,
                new Command.RemoveBackup(heap, expectedEpoch, nodeId)));
    }

    /**
     * Tells the leader that {@code nodeId} is alive, with the durable log position of each heap it
     * holds a copy of (they choose the successor if a primary fails). Not a log entry: the leader keeps
     * it in memory. Send one every {@link CoordinatorSettings#heartbeatInterval()}.
     *
     * @return the coordinator's state version: when it grew, the configuration changed
     * @throws CommandRefusedException if {@code nodeId} never joined
     */
    public long heartbeat(String nodeId, Map<String, Long> durablePositions) {
        Message query = Message.valueOf(MessageCodec.encodeQuery(new Query.Heartbeat(nodeId, durablePositions)));
        Reply reply = call("take the heartbeat of " + nodeId, () -> heartbeats.io().sendReadOnlyNonLinearizable(query));
        return expect(reply, Reply.Ack.class, "heartbeat").version();
    }

    /**
     * A heartbeat of {@code nodeId} that also tells the leader it lost its connection to member
     * {@code suspectId}: the leader checks at once whether that member's process is gone, and if
     * so reports it failed without waiting for its lease.
     *
     * @return the coordinator's state version
     * @throws CommandRefusedException if {@code nodeId} never joined
     */
    public long suspect(String nodeId, Map<String, Long> durablePositions, String suspectId) {
        Message query = Message.valueOf(MessageCodec.encodeQuery(new Query.Suspect(nodeId, durablePositions, suspectId)));
        Reply reply = call("report " + suspectId + " suspected by " + nodeId,
                () -> heartbeats.io().sendReadOnlyNonLinearizable(query));
        return expect(reply, Reply.Ack.class, "suspicion").version();
    }

    /**
     * Waits for the configuration to change.
     *
     * @return the first state with a version above {@code knownVersion}, or the current state when
     *         {@code timeout} passed first
     */
    public ClusterState awaitChange(long knownVersion, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long waitMillis = Math.clamp(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 0,
                    LONG_POLL.toMillis());
            Message query = Message.valueOf(MessageCodec.encodeQuery(new Query.AwaitChange(knownVersion, waitMillis)));
            ClusterState state = stateOf(call("wait for a change after version " + knownVersion,
                    () -> raft.io().sendReadOnly(query)));
            if (state.version() > knownVersion || deadline - System.nanoTime() <= 0) {
                return state;
            }
        }
    }

    /**
     * Waits until a leader serves with a majority of the peers behind it, for up to {@code timeout}
     * (plus at most one attempt of a second per peer).
     *
     * @throws CoordinatorUnavailableException naming the peers that were not reachable
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Message query = Message.valueOf(MessageCodec.encodeQuery(new Query.GetState()));
        IOException last;
        int rounds = 0;
        int mismatches = 0;
        while (true) {
            try {
                // A linearizable read: the leader answers it only while a majority follows it.
                probe.io().sendReadOnly(query);
                return;
            } catch (IOException e) {
                last = e;
            }
            // A replica that keeps answering that it runs no such group was given another peers list.
            if (++rounds % ROUNDS_PER_GROUP_CHECK == 0) {
                List<Peer> strangers = peersOfAnotherGroup(query);
                mismatches = strangers.isEmpty() ? 0 : mismatches + 1;
                if (mismatches >= GROUP_MISMATCHES_TO_FAIL) {
                    throw new CoordinatorUnavailableException("coordinator peers " + strangers + " run the group of"
                            + " another peers list: every node must be given the same hotpot.peers, and this one has "
                            + peers, last);
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(RETRY_PAUSE_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinatorUnavailableException("interrupted while waiting for the coordinator peers "
                        + peers + " to elect a leader", e);
            }
        }
        List<Peer> unreachable = unreachablePeers(query);
        int majority = peers.size() / 2 + 1;
        throw new CoordinatorUnavailableException("the coordinator has no leader with a majority after " + timeout.toMillis()
                + " ms: peers not reachable=" + unreachable + " of " + peers + " (last error: " + last.getMessage()
                + "); start at least " + majority + " of the " + peers.size() + " peers, with the same peer list", last);
    }

    /** The peers that answer that they run no group of this peers list: they were given another one. */
    private List<Peer> peersOfAnotherGroup(Message query) {
        List<Peer> strangers = new ArrayList<>();
        for (Peer peer : peers) {
            try {
                probe.io().sendStaleRead(query, -1, RaftPeerId.valueOf(peer.id()));
            } catch (IOException e) {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof GroupMismatchException) {
                        strangers.add(peer);
                        break;
                    }
                }
            }
        }
        return strangers;
    }

    /** The peers that do not answer a stale read, which any running replica serves without a leader. */
    private List<Peer> unreachablePeers(Message query) {
        List<Peer> unreachable = new ArrayList<>();
        for (Peer peer : peers) {
            try {
                // Minimum index -1: a replica that never committed an entry answers too.
                probe.io().sendStaleRead(query, -1, RaftPeerId.valueOf(peer.id()));
            } catch (IOException e) {
                unreachable.add(peer);
            }
        }
        return unreachable;
    }

    @Override
    public void close() {
        IOException failure = null;
        for (RaftClient client : List.of(raft, probe, heartbeats)) {
            try {
                client.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw new HotpotException("closing the coordinator client failed: " + failure.getMessage(), failure);
        }
    }

    private interface Send {
        RaftClientReply send() throws IOException;
    }

    private static RaftClientReply sendWhileLeaderStepsDown(Send send, long deadline) throws IOException {
        while (true) {
            try {
                return send.send();
            } catch (IOException e) {
                if (!isLeaderSteppingDown(e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(RETRY_PAUSE_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the coordinator's leader stepped down");
            }
        }
    }

    private static boolean isLeaderSteppingDown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LeaderSteppingDownException) {
                return true;
            }
        }
        return false;
    }

    private Reply write(String operation, Command command) {
        Message message = Message.valueOf(MessageCodec.encodeCommand(command, null));
        return call(operation, () -> raft.io().send(message));
    }

    /**
     * Sends, decodes the reply, and turns refusals and failures into exceptions. A leader that is
     * stepping down (an election or a hand-over of leadership under way) refuses a request before
     * it enters the log, so the request is sent again, every {@link #RETRY_PAUSE_MILLIS}, until
     * the request timeout; Ratis's client gives up on it at once.
     */
    private Reply call(String operation, Send send) {
        RaftClientReply raftReply;
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        try {
            raftReply = sendWhileLeaderStepsDown(send, deadline);
        } catch (StateMachineException e) {
            throw new CommandRefusedException("the coordinator could not " + operation + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CoordinatorUnavailableException("the coordinator did not " + operation + " in time: "
                    + e.getMessage() + "; peers=" + peers + ": check that a majority of them runs "
                    + "(awaitReady names the peers not reachable); the outcome of a command is unknown", e);
        }
        Reply reply;
        try {
            reply = MessageCodec.decodeReply(raftReply.getMessage().getContent());
        } catch (IOException e) {
            throw new CommandRefusedException("the coordinator's answer to " + operation + " is unreadable: "
                    + e.getMessage(), e);
        }
        return switch (reply) {
            case Reply.Refused refused -> throw new CommandRefusedException(
                    "the coordinator refused to " + operation + ": " + refused.reason());
            case Reply.StaleEpoch stale -> throw new EpochMismatchException(
                    "the coordinator refused to " + operation + ": " + stale.reason(), stale.current());
            default -> reply;
        };
    }

    private static ClusterState stateOf(Reply reply) {
        return expect(reply, Reply.StateReply.class, "state").state();
    }

    private static HeapAssignment heapOf(Reply reply) {
        return expect(reply, Reply.HeapReply.class, "heap assignment").heap();
    }

    private static <T extends Reply> T expect(Reply reply, Class<T> type, String what) {
        if (!type.isInstance(reply)) {
            throw new CommandRefusedException("the coordinator answered " + reply + " where a " + what
                    + " was expected: run the same Hotpot version on every node");
        }
        return type.cast(reply);
    }
}
