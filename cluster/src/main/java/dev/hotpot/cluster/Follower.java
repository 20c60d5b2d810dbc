package dev.hotpot.cluster;

import dev.hotpot.log.RedoLog;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.tx.RecordApplier;
import dev.hotpot.tx.TransactionManager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The role of a node that is not its heap's primary: it takes the primary's stream of records in
 * log order, appends each to its own log, forces and acknowledges them (as a backup), and applies
 * to its working copy, through the one apply path, the records the primary has declared committed.
 * Frames that arrive while a force runs are appended together and made durable by the next single
 * force and acknowledgement: a backup group-commits as the primary does.
 *
 * <p>Invariants: records are appended in the primary's order without a gap (a frame whose
 * previous sequence is not the last one appended ends the stream); only committed records are
 * applied, so this node's working copy never shows a commit the cluster could lose; the applied
 * sequence only grows.
 *
 * <p>Threading: one thread ({@link #run}) takes the frames of the primary's connection from a
 * queue and does all the work; {@link #stop} is called from the node's watch thread.
 */
final class Follower implements Runnable {
    private static final System.Logger LOG = System.getLogger(Follower.class.getName());
    /** Frames whose records one force makes durable at most: those that queued while the last force ran. */
    private static final int MAX_FRAMES_PER_FORCE = 256;

    private final ClusteredHeap heap;
    private final String primary;
    private final Connection connection;
    private final BlockingQueue<Inbound> frames;
    private final TransactionManager manager;
    private final RedoLog log;
    private final RecordApplier applier;
    /** Appended records not yet applied, in order: the heap's, since they outlive a change of primary. */
    private final ArrayDeque<Messages.Entry> pending;
    private final Thread thread;
    /** The primary's epoch when the stream began; frames of earlier epochs are refused. */
    private final long epoch;
    private long commitPoint;
    private volatile boolean stopping;

    Follower(ClusteredHeap heap, String primary, Connection connection, BlockingQueue<Inbound> frames, long epoch) {
        this.heap = heap;
        this.primary = primary;
        this.connection = connection;
        this.frames = frames;
        this.manager = heap.manager();
        this.log = heap.log();
        this.applier = manager.newApplier();
        this.epoch = epoch;
        this.pending = heap.pending();
        this.thread = Thread.ofPlatform().daemon().name("hotpot-follow-" + heap.name()).unstarted(this);
    }

    void start() {
        thread.start();
    }

    String primary() {
        return primary;
    }

    Connection connection() {
        return connection;
    }

    /**
     * Ends the stream and waits for the thread. Records appended but not yet applied stay pending
     * in the heap: the next primary's commit point covers them, or a node promoted to primary
     * applies them, since the new primary's log defines what is committed.
     */
    void stop() {
        stopping = true;
        connection.close();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        List<Inbound> batch = new ArrayList<>();
        try {
            while (!stopping) {
                batch.add(frames.take());
                frames.drainTo(batch, MAX_FRAMES_PER_FORCE - 1);
                Inbound end = handle(batch);
                batch.clear();
                if (end != null) {
                    heap.streamEnded(this, end.cause());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.log(System.Logger.Level.ERROR, "heap " + heap.name() + ": the stream from primary " + primary
                        + " failed", e);
                connection.close();
                heap.streamEnded(this, e);
            }
        }
    }

    /**
     * Appends the records of every frame in {@code batch}, then forces once and acknowledges the
     * last, then applies what the commit points allow; returns the end of the stream if the batch
     * holds it (what came before it is still made durable and acknowledged).
     */
    private Inbound handle(List<Inbound> batch) {
        Inbound end = null;
        long primaryEnd = -1;
        long ackEpoch = epoch;
        for (Inbound in : batch) {
            if (in.closed()) {
                end = in;
                break;
            }
            long appended = append(in.frame());
            if (appended >= 0) {
                primaryEnd = appended;
                ackEpoch = Math.max(ackEpoch, in.frame().epoch());
            }
        }
        if (primaryEnd >= 0) {
            log.forceAll();
            heap.durableSequence(heap.lastAppended());
            connection.send(Frame.oneWay(Messages.ACK, ackEpoch, new Messages.Ack(primaryEnd, heap.lastAppended()).encode()));
        }
        while (!pending.isEmpty() && pending.peekFirst().lsnEnd() <= commitPoint) {
            apply(pending.removeFirst());
        }
        return end;
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

    private void apply(Messages.Entry entry) {
        if (!applier.applyShipped(entry.body(), entry.sequence())) {
            throw new ProtocolException("heap " + heap.name() + ": record of sequence " + entry.sequence()
                    + " is not after this node's clock " + manager.clock());
        }
        heap.applied(entry.sequence());
    }

    /** A frame of the primary's connection, or its end. */
    record Inbound(Frame frame, Throwable cause) {
        static final Inbound END = new Inbound(null, null);

        boolean closed() {
            return frame == null;
        }
    }
}
