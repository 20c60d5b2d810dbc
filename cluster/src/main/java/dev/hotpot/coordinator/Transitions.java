package dev.hotpot.coordinator;

import dev.hotpot.coordinator.Command.AddBackup;
import dev.hotpot.coordinator.Command.CreateHeap;
import dev.hotpot.coordinator.Command.Join;
import dev.hotpot.coordinator.Command.NodeFailed;
import dev.hotpot.coordinator.Command.NodeReturned;
import dev.hotpot.coordinator.Command.RemoveBackup;
import dev.hotpot.coordinator.Command.RenewEpoch;
import dev.hotpot.coordinator.Command.StepDown;
import dev.hotpot.coordinator.Reply.HeapReply;
import dev.hotpot.coordinator.Reply.Refused;
import dev.hotpot.coordinator.Reply.StaleEpoch;
import dev.hotpot.coordinator.Reply.StateReply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The coordinator's state machine proper: how each {@link Command} changes a {@link ClusterState}.
 * A pure function of the state, the command and the cluster id proposed with it, so that every replica
 * that applies the same log computes the same states, and so that it can be tested without Ratis.
 *
 * <p>A command that does not fit the state is refused with a {@link Refused} or {@link StaleEpoch}
 * reply and changes nothing. Members are never removed; the address of a member that is not live
 * may be taken by a new member. A command that changes nothing (a join with the same address, a failure
 * of a member already failed) keeps the version.
 *
 * <p>Invariants kept: every primary and in-sync backup is a live member (a member is added as a backup
 * only while live, and removed from every heap when it fails). Hence a heap loses its primary only when
 * it has no backup left, and then only its last primary has every write: that member, and no other,
 * takes the heap back when it returns.
 *
 * <p>Threading: stateless.
 */
final class Transitions {
    /** The state after a command, and the answer to its sender. */
    record Result(ClusterState state, Reply reply) {
    }

    private Transitions() {
    }

    /**
     * Applies {@code command} to {@code state}. {@code clusterIdProposal} becomes the cluster id if this
     * is the first change ever; the leader proposes one with every command while it knows of none.
     *
     * @throws IllegalStateException if this is the first change and no cluster id was proposed
     */
    static Result apply(ClusterState state, Command command, String clusterIdProposal) {
        Result result = switch (command) {
            case Join join -> join(state, join);
            case CreateHeap create -> createHeap(state, create);
            case AddBackup add -> addBackup(state, add);
            case RemoveBackup remove -> removeBackup(state, remove);
            case RenewEpoch renew -> renewEpoch(state, renew);
            case StepDown step -> stepDown(state, step);
            case NodeFailed failed -> nodeFailed(state, failed);
            case NodeReturned returned -> nodeReturned(state, returned);
        };
        if (result.state().equals(state)) {
            return new Result(state, result.reply());
        }
        String clusterId = state.clusterId() != null ? state.clusterId() : clusterIdProposal;
        if (clusterId == null) {
            throw new IllegalStateException("the first change, " + command + ", came without a cluster id proposal");
        }
        ClusterState next = new ClusterState(clusterId, state.version() + 1, result.state().nextMemberIndex(),
                result.state().members(), result.state().heaps());
        Reply reply = result.reply() instanceof StateReply ? new StateReply(next) : result.reply();
        return new Result(next, reply);
    }

    private static Result join(ClusterState state, Join join) {
        Member existing = state.members().get(join.id());
        if (existing != null && existing.peer() != join.peer()) {
            return refuse(state, "member id=" + join.id() + " joined before with peer=" + existing.peer()
                    + " and now with peer=" + join.peer() + ": a node keeps whether it runs a coordinator peer; "
                    + "fix the peer list or give the node another id");
        }
        for (Member other : state.members().values()) {
            if (other.live() && !other.id().equals(join.id()) && other.host().equals(join.host())
                    && other.port() == join.port()) {
                return refuse(state, "member id=" + join.id() + " wants address " + join.host() + ":" + join.port()
                        + ", which live member id=" + other.id() + " has: give each node its own port");
            }
        }
        TreeMap<String, Member> members = new TreeMap<>(state.members());
        SortedMap<String, HeapAssignment> heaps = state.heaps();
        int nextIndex = state.nextMemberIndex();
        if (existing == null) {
            members.put(join.id(), new Member(join.id(), join.host(), join.port(), join.peer(), nextIndex, true));
            nextIndex++;
        } else {
            members.put(join.id(), existing.withAddress(join.host(), join.port()).withLive(true));
            if (!existing.live()) {
                heaps = reclaimedBy(heaps, join.id());
            }
        }
        ClusterState next = new ClusterState(state.clusterId(), state.version(), nextIndex, members, heaps);
        return new Result(next, new StateReply(next));
    }

    private static Result createHeap(ClusterState state, CreateHeap create) {
        HeapAssignment existing = state.heaps().get(create.name());
        if (existing != null) {
            if (existing.sizeBytes() != create.sizeBytes() || existing.replicas() != create.replicas()) {
                return refuse(state, "heap=" + create.name() + " exists with sizeBytes=" + existing.sizeBytes()
                        + " replicas=" + existing.replicas() + ", not the asked sizeBytes=" + create.sizeBytes()
                        + " replicas=" + create.replicas() + ": open it with its own size and replica count, "
                        + "or choose another name");
            }
            return new Result(state, new HeapReply(existing));
        }
        if (!state.isLive(create.creatorId())) {
            return refuse(state, "heap=" + create.name() + " cannot be created by creator=" + create.creatorId()
                    + ", which is not a live member: join the cluster first");
        }
        HeapAssignment heap = HeapAssignment.created(create.name(), create.sizeBytes(), create.replicas(),
                create.creatorId());
        return new Result(withHeap(state, heap), new HeapReply(heap));
    }

    private static Result addBackup(ClusterState state, AddBackup add) {
        HeapAssignment heap = state.heaps().get(add.heap());
        String context = "heap=" + add.heap() + " backup=" + add.nodeId();
        if (heap == null) {
            return refuse(state, context + ": no such heap; create it first");
        }
        if (heap.epoch() != add.expectedEpoch()) {
            return staleEpoch(state, heap, add.expectedEpoch());
        }
        if (!heap.hasPrimary()) {
            return refuse(state, context + ": the heap has no primary (lastPrimary=" + heap.lastPrimary()
                    + " is not live); backups can be added once it returns");
        }
        if (add.nodeId().equals(heap.primary()) || heap.inSync().contains(add.nodeId())) {
            return refuse(state, context + ": already holds a copy (primary=" + heap.primary()
                    + " inSync=" + heap.inSync() + ")");
        }
        if (!state.isLive(add.nodeId())) {
            return refuse(state, context + ": the backup is not a live member; it must join first");
        }
        if (1 + heap.inSync().size() >= heap.replicas()) {
            return refuse(state, context + ": the heap already has its replicas=" + heap.replicas()
                    + " copies (primary=" + heap.primary() + " inSync=" + heap.inSync() + "); remove a backup first");
        }
        List<String> inSync = new ArrayList<>(heap.inSync());
        inSync.add(add.nodeId());
        HeapAssignment next = heap.next(heap.primary(), inSync, null);
        return new Result(withHeap(state, next), new HeapReply(next));
    }

    private static Result removeBackup(ClusterState state, RemoveBackup remove) {
        HeapAssignment heap = state.heaps().get(remove.heap());
        if (heap == null) {
            return refuse(state, "heap=" + remove.heap() + " backup=" + remove.nodeId() + ": no such heap");
        }
        if (heap.epoch() != remove.expectedEpoch()) {
            return staleEpoch(state, heap, remove.expectedEpoch());
        }
        if (!heap.inSync().contains(remove.nodeId())) {
            return refuse(state, "heap=" + remove.heap() + " backup=" + remove.nodeId()
                    + ": not an in-sync backup (primary=" + heap.primary() + " inSync=" + heap.inSync() + ")");
        }
        HeapAssignment next = heap.next(heap.primary(), without(heap.inSync(), remove.nodeId()), null);
        return new Result(withHeap(state, next), new HeapReply(next));
    }

    private static Result renewEpoch(ClusterState state, RenewEpoch renew) {
        return fromItsPrimary(state, renew.heap(), renew.expectedEpoch(), renew.primaryId(),
                heap -> moved(state, heap.next(heap.primary(), heap.inSync(), null)));
    }

    private static Result stepDown(ClusterState state, StepDown step) {
        return fromItsPrimary(state, step.heap(), step.expectedEpoch(), step.primaryId(), heap -> {
            String successor = heap.inSync().stream().filter(state::isLive).findFirst().orElse(null);
            if (successor == null) {
                return refuse(state, "heap=" + step.heap() + " epoch=" + heap.epoch() + ": no live in-sync backup to take"
                        + " over from " + step.primaryId() + " (inSync=" + heap.inSync() + ")");
            }
            return moved(state, heap.next(successor, without(heap.inSync(), successor), null));
        });
    }

    /**
     * Applies {@code change} to heap {@code name} if it is still at {@code expectedEpoch} with
     * {@code primaryId} primary (a command only its primary sends); refuses otherwise.
     */
    private static Result fromItsPrimary(ClusterState state, String name, long expectedEpoch, String primaryId,
                                         java.util.function.Function<HeapAssignment, Result> change) {
        HeapAssignment heap = state.heaps().get(name);
        if (heap == null) {
            return refuse(state, "heap=" + name + ": no such heap");
        }
        if (heap.epoch() != expectedEpoch) {
            return staleEpoch(state, heap, expectedEpoch);
        }
        if (!primaryId.equals(heap.primary())) {
            return refuse(state, "heap=" + name + " epoch=" + heap.epoch() + ": " + primaryId
                    + " is not its primary (primary=" + heap.primary() + ")");
        }
        return change.apply(heap);
    }

    private static Result moved(ClusterState state, HeapAssignment next) {
        return new Result(withHeap(state, next), new HeapReply(next));
    }

    /**
     * Marks the member not live; each heap it was primary of is taken over by the live in-sync backup
     * with the highest reported position (an unreported one counts lowest; ties go to the earliest
     * added), or left without primary when none is live; it leaves the in-sync set of every other heap.
     */
    private static Result nodeFailed(ClusterState state, NodeFailed failed) {
        String id = failed.nodeId();
        Member member = state.members().get(id);
        if (member == null) {
            return refuse(state, "member id=" + id + " cannot fail: it never joined");
        }
        TreeMap<String, Member> members = new TreeMap<>(state.members());
        members.put(id, member.withLive(false));
        TreeMap<String, HeapAssignment> heaps = new TreeMap<>(state.heaps());
        for (HeapAssignment heap : state.heaps().values()) {
            if (id.equals(heap.primary())) {
                String successor = bestBackup(state, heap, failed.positions().getOrDefault(heap.name(), Map.of()));
                heaps.put(heap.name(), successor != null
                        ? heap.next(successor, without(heap.inSync(), successor), null)
                        : heap.next(null, List.of(), id));
            } else if (heap.inSync().contains(id)) {
                heaps.put(heap.name(), heap.next(heap.primary(), without(heap.inSync(), id), null));
            }
        }
        ClusterState next = new ClusterState(state.clusterId(), state.version(), state.nextMemberIndex(), members, heaps);
        return new Result(next, new StateReply(next));
    }

    private static String bestBackup(ClusterState state, HeapAssignment heap, Map<String, Long> positions) {
        String best = null;
        long bestPosition = Long.MIN_VALUE;
        for (String backup : heap.inSync()) {
            long position = positions.getOrDefault(backup, Long.MIN_VALUE);
            if (state.isLive(backup) && (best == null || position > bestPosition)) {
                best = backup;
                bestPosition = position;
            }
        }
        return best;
    }

    private static Result nodeReturned(ClusterState state, NodeReturned returned) {
        String id = returned.nodeId();
        Member member = state.members().get(id);
        if (member == null) {
            return refuse(state, "member id=" + id + " cannot return: it never joined");
        }
        TreeMap<String, Member> members = new TreeMap<>(state.members());
        members.put(id, member.withLive(true));
        ClusterState next = new ClusterState(state.clusterId(), state.version(), state.nextMemberIndex(), members,
                reclaimedBy(state.heaps(), id));
        return new Result(next, new StateReply(next));
    }

    /** The heaps with every heap whose last primary is {@code id} given back to it. */
    private static SortedMap<String, HeapAssignment> reclaimedBy(SortedMap<String, HeapAssignment> heaps, String id) {
        TreeMap<String, HeapAssignment> result = new TreeMap<>(heaps);
        for (HeapAssignment heap : heaps.values()) {
            if (id.equals(heap.lastPrimary())) {
                result.put(heap.name(), heap.next(id, List.of(), null));
            }
        }
        return result;
    }

    private static ClusterState withHeap(ClusterState state, HeapAssignment heap) {
        TreeMap<String, HeapAssignment> heaps = new TreeMap<>(state.heaps());
        heaps.put(heap.name(), heap);
        return new ClusterState(state.clusterId(), state.version(), state.nextMemberIndex(), state.members(), heaps);
    }

    private static List<String> without(List<String> ids, String id) {
        List<String> result = new ArrayList<>(ids);
        result.remove(id);
        return result;
    }

    private static Result refuse(ClusterState state, String reason) {
        return new Result(state, new Refused(reason));
    }

    private static Result staleEpoch(ClusterState state, HeapAssignment heap, long expected) {
        return new Result(state, new StaleEpoch("heap=" + heap.name() + " is at epoch=" + heap.epoch()
                + ", not the expected epoch=" + expected + ": re-read its assignment (primary=" + heap.primary()
                + " inSync=" + heap.inSync() + ") and retry from it", heap));
    }
}
