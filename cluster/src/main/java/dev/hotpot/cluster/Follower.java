package dev.hotpot.cluster;

import dev.hotpot.log.RedoLog;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.tx.RecordApplier;
import dev.hotpot.tx.TransactionManager;

import java.util.ArrayDeque;

/**
 * The role of a node that is not its heap's primary: it takes the primary's stream of records in
 * log order, appends each to its own log, forces and acknowledges them (as a backup), and applies
 * to its working copy, through the one apply path, the records the primary has declared committed.
 * It works on the connection's reader thread, without a hand-off to a thread of its own: frames
 * that arrive while a force runs wait in the socket, are appended one after the other once it
 * ends, and are made durable by one force and one acknowledgement when the reader has drained them
 * all. A backup group-commits as the primary does.
 *
 * <p>Invariants: records are appended in the primary's order without a gap (a frame whose
 * previous sequence is not the last one appended ends the stream); only committed records are
 * applied, so this node's working copy never shows a commit the cluster could lose; the applied
 * sequence only grows; once {@link #stop} returns, no call touches the heap.
 *
 * <p>Threading: {@link #onFrame}, {@link #onDrained} and {@link #onClosed} come from the
 * connection's reader thread (frames that arrived before the follower started, from the thread
 * that starts it) and run one at a time under this object's monitor; {@link #stop} is called from
 * the node's watch thread.
 */
final class Follower {
    private static final System.Logger LOG = System.getLogger(Follower.class.getName());
    /** Frames whose records one force makes durable at most, however many more are waiting. */
    private static final int MAX_FRAMES_PER_FORCE = 256;

    private final ClusteredHeap heap;
    private final String primary;
    private final Connection connection;
    private final TransactionManager manager;
    private final RedoLog log;
    private final RecordApplier applier;
    /** Appended records not yet applied, in order: the heap's, since they outlive a change of primary. */
    private final ArrayDeque<Messages.Entry> pending;
    /** The primary's epoch when the stream began; frames of earlier epochs are refused. */
    private final long epoch;
    private volatile boolean stopping;
    /** Whether the stream ended: every later call is ignored. Guarded by this, like the fields below. */
    private boolean ended;
    private long commitPoint;
    /** The primary's log position after the last record appended and not yet forced; -1 if there is none. */
    private long unforcedEnd = -1;
    /** The highest epoch of a frame appended: acknowledgements carry it. */
    private long ackEpoch;
    private int unforcedFrames;

    Follower(ClusteredHeap heap, String primary, Connection connection, long epoch) {
        this.heap = heap;
        this.primary = primary;
        this.connection = connection;
        this.manager = heap.manager();
        this.log = heap.log();
        this.applier = manager.newApplier();
        this.epoch = epoch;
        this.ackEpoch = epoch;
        this.pending = heap.pending();
    }

    String primary() {
        return primary;
    }

    Connection connection() {
        return connection;
    }

    /**
     * Ends the stream and waits for the call under way, if any. Records appended but not yet
     * forced are forced before this node counts them durable anywhere (by its next subscription,
     * or as it becomes primary). Those not yet applied stay pending in the heap: the next
     * primary's commit point covers them, or a node promoted to primary applies them, since the
     * new primary's log defines what is committed.
     */
    void stop() {
        stopping = true;
        // Closing first ends a send of an acknowledgement blocked on a dead link.
        connection.close();
        synchronized (this) {
            ended = true;
        }
    }

    /**
     * Appends the records of one frame, unforced; forces at once if too many frames wait for it. A
     * frame that carries only a commit point is applied at once: a commit of this node may wait for
     * it, and its answer may be the next frame.
     */
    synchronized void onFrame(Frame frame) {
        if (stopping || ended) {
            return;
        }
        try {
            long appended = append(frame);
            if (appended >= 0) {
                unforcedEnd = appended;
                ackEpoch = Math.max(ackEpoch, frame.epoch());
            } else {
                applyCommitted();
            }
            if (++unforcedFrames >= MAX_FRAMES_PER_FORCE) {
                makeDurable(true);
                applyCommitted();
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** No other frame waits: forces and acknowledges what was appended, then applies what is committed. */
    synchronized void onDrained() {
        if (stopping || ended) {
            return;
        }
        try {
            makeDurable(true);
            applyCommitted();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The primary's connection ended: what was appended is still forced, then the node looks for a primary. */
    synchronized void onClosed(Throwable cause) {
        if (stopping || ended) {
            return;
        }
        try {
            makeDurable(false);
            applyCommitted();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "heap " + heap.name() + ": after the stream from primary " + primary
                    + " ended: " + e);
        }
        ended = true;
        heap.streamEnded(this, cause);
    }

    private void fail(RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "heap " + heap.name() + ": the stream from primary " + primary + " failed", e);
        ended = true;
        connection.close();
        heap.streamEnded(this, e);
    }

    /** Forces the records appended since the last force and, if {@code acknowledge}, tells the primary. */
    private void makeDurable(boolean acknowledge) {
        unforcedFrames = 0;
        if (unforcedEnd < 0) {
            return;
        }
        log.forceAll();
        heap.durableSequence(heap.lastAppended());
        if (acknowledge) {
            connection.send(Frame.oneWay(Messages.ACK, ackEpoch, new Messages.Ack(unforcedEnd, heap.lastAppended()).encode()));
        }
        unforcedEnd = -1;
    }

    private void applyCommitted() {
        while (!pending.isEmpty() && pending.peekFirst().lsnEnd() <= commitPoint) {
            Messages.Entry entry = pending.removeFirst();
            if (!applier.applyShipped(entry.body(), entry.sequence())) {
                throw new ProtocolException("heap " + heap.name() + ": record of sequence " + entry.sequence()
                        + " is not after this node's clock " + manager.clock());
            }
            heap.applied(entry.sequence());
        }
    }

    /**
     * Appends the records of {@code frame} to the local log, unforced, and takes its commit point;
     * returns the primary's log position after the last record, or -1 if it carried none.
     */
    private long append(Frame frame) {
        if (frame.type() != Messages.RECORDS) {
            throw new ProtocolException("unexpected message type " + frame.type() + " from primary " + primary);
        }
        if (frame.epoch() < epoch) {
            // A frame from before the primary's epoch when this stream began: not from this reign.
            LOG.log(System.Logger.Level.WARNING, "heap " + heap.name() + ": refused records of stale epoch "
                    + frame.epoch() + " from " + primary + " (current epoch " + epoch + ")");
            return -1;
        }
        Messages.Records records = Messages.Records.decode(frame.payload());
        if (!records.entries().isEmpty() && records.prevSequence() != heap.lastAppended()) {
            throw new ProtocolException("heap " + heap.name() + ": records after sequence " + records.prevSequence()
                    + " arrived, but the last one appended here is " + heap.lastAppended() + ": a gap in the stream");
        }
        long primaryEnd = -1;
        for (Messages.Entry entry : records.entries()) {
            heap.appendShipped(entry);
            primaryEnd = entry.lsnEnd();
        }
        commitPoint = Math.max(commitPoint, records.commitPoint());
        return primaryEnd;
    }
}
