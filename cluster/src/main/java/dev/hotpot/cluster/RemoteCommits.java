package dev.hotpot.cluster;

import dev.hotpot.HotpotException;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.tx.CommitRoute;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The commit route of a node that is not its heap's primary: each commit goes to the primary in
 * one request with its read set, and returns once this node has applied its record. When the
 * primary fails before it answers, the same request (same transaction id) goes to the next
 * primary, whose dedupe answers with the first attempt's sequence if that one committed.
 *
 * <p>Threading: safe from any thread.
 */
final class RemoteCommits implements CommitRoute {
    private final ClusteredHeap heap;

    RemoteCommits(ClusteredHeap heap) {
        this.heap = heap;
    }

    @Override
    public long commit(long txId, long readVersion, int[] readPages, int readCount, MemorySegment body,
                       boolean losing) {
        Messages.Commit commit = new Messages.Commit(txId, readVersion, losing, readPages, readCount, body);
        byte[] payload = commit.encode();
        long deadline = System.nanoTime() + heap.settings().commitTimeout().toNanos();
        // Whether an attempt was sent and its answer lost: it may have committed.
        boolean lost = false;
        // Why the last primary asked could not commit, if it said so.
        String unavailable = "is this node cut off from the majority?";
        Connection failed = null;
        while (true) {
            Primary local = heap.primaryRole();
            if (local != null) {
                long sequence = local.commitLocally(commit);
                if (sequence == CONFLICT && lost) {
                    throw ambiguousConflict(txId);
                }
                return sequence;
            }
            Connection primary = heap.awaitPrimaryConnection(failed, deadline);
            if (primary == null && heap.primaryRole() != null) {
                continue; // this node was promoted meanwhile: it commits the request itself
            }
            if (primary == null) {
                throw lost ? unknown(txId, "no primary answered", null) : new ClusterUnavailableException(
                        "cannot commit on heap " + heap.name() + ": no primary reachable within commitTimeout="
                                + heap.settings().commitTimeout() + " (" + unavailable + "); nothing"
                                + " was changed, and reads here may be stale");
            }
            Messages.Committed outcome;
            try {
                long left = deadline - System.nanoTime();
                Frame reply = primary.request(Frame.request(Messages.COMMIT, heap.epoch(), payload))
                        .get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                outcome = Messages.Committed.decode(reply.payload());
            } catch (TimeoutException e) {
                throw unknown(txId, "the primary did not answer", e);
            } catch (ExecutionException | RuntimeException e) {
                failed = primary;
                lost = true;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unknown(txId, "interrupted while waiting for the primary", e);
            }
            switch (outcome.status()) {
                case OK -> {
                    if (!heap.awaitApplied(outcome.sequence(), deadline)) {
                        throw new HotpotException("transaction txId=" + Long.toHexString(txId) + " committed at sequence "
                                + Long.toHexString(outcome.sequence()) + " on heap " + heap.name() + ", but this node did"
                                + " not apply it within commitTimeout; its reads may lag");
                    }
                    return outcome.sequence();
                }
                case CONFLICT -> {
                    if (lost) {
                        throw ambiguousConflict(txId);
                    }
                    // The re-run must see what it conflicted with; if that does not arrive in time,
                    // a re-run would only wait again: the transaction ends here, having changed nothing.
                    if (!heap.awaitApplied(outcome.sequence(), deadline)) {
                        throw new ClusterUnavailableException("cannot commit on heap " + heap.name() + ": the primary"
                                + " found a conflict with commits this node did not receive within commitTimeout="
                                + heap.settings().commitTimeout() + " (is this node cut off from the primary?); nothing"
                                + " was changed, and reads here may be stale");
                    }
                    return CONFLICT;
                }
                // Nothing was changed: the next primary is asked, or this one again once the coordinator moved on.
                case NOT_PRIMARY -> failed = primary;
                case UNAVAILABLE -> {
                    failed = primary;
                    unavailable = "the primary answered: " + outcome.message();
                }
                case FAILED -> throw new HotpotException("commit of txId=" + Long.toHexString(txId) + " failed on the"
                        + " primary of heap " + heap.name() + ": " + outcome.message());
            }
        }
    }

    @Override
    public void sync() {
        long deadline = System.nanoTime() + heap.settings().commitTimeout().toNanos();
        Connection failed = null;
        while (true) {
            Primary local = heap.primaryRole();
            if (local != null) {
                local.barrier();
                return;
            }
            Connection primary = heap.awaitPrimaryConnection(failed, deadline);
            if (primary == null && heap.primaryRole() != null) {
                continue;
            }
            if (primary == null) {
                throw new ClusterUnavailableException("sync on heap " + heap.name() + ": no primary reachable within"
                        + " commitTimeout=" + heap.settings().commitTimeout() + " (is this node cut off from the majority?)");
            }
            try {
                long left = deadline - System.nanoTime();
                Frame reply = primary.request(Frame.request(Messages.SYNC, heap.epoch(), new byte[0]))
                        .get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                long sequence = Messages.decodeSequence(reply.payload());
                if (!heap.awaitApplied(sequence, deadline)) {
                    throw new ClusterUnavailableException("sync on heap " + heap.name() + ": this node did not apply"
                            + " the primary's commits up to sequence " + Long.toHexString(sequence) + " within commitTimeout");
                }
                return;
            } catch (TimeoutException e) {
                throw new ClusterUnavailableException("sync on heap " + heap.name() + ": the primary did not answer"
                        + " within commitTimeout=" + heap.settings().commitTimeout());
            } catch (ExecutionException | RuntimeException e) {
                failed = primary;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterUnavailableException("sync on heap " + heap.name() + " interrupted");
            }
        }
    }

    /**
     * A retry found its reads stale after an earlier attempt's answer was lost: that attempt may
     * have committed and caused the conflict itself, so re-running the body could apply it twice. A
     * primary that logged the earlier attempt answers with its sequence instead; one that restarted
     * since does not know it.
     */
    private CommitOutcomeUnknownException ambiguousConflict(long txId) {
        return unknown(txId, "an earlier attempt's answer was lost, and the retry found its reads stale, which that"
                + " attempt's own commit would explain", null);
    }

    private CommitOutcomeUnknownException unknown(long txId, String why, Throwable cause) {
        return new CommitOutcomeUnknownException("commit outcome unknown: heap=" + heap.name() + " txId="
                + Long.toHexString(txId) + ": " + why + " within commitTimeout=" + heap.settings().commitTimeout()
                + "; the transaction may or may not have committed, and it was not re-run", cause);
    }
}
