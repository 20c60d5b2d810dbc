package dev.hotpot.cluster;

import dev.hotpot.log.RedoLog;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.tx.RecordApplier;
import dev.hotpot.tx.TransactionManager;

import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The role of a node that is not its heap's primary: it takes the primary's stream of records in
 * log order, appends each to its own log, forces and acknowledges them (as a backup), and applies
 * to its working copy, through the one apply path, the records the primary has declared committed.
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
        try {
            while (!stopping) {
                Inbound in = frames.take();
                if (in.closed()) {
                    heap.streamEnded(this, in.cause());
                    return;
                }
                handle(in.frame());
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

    private void handle(Frame frame) {
        if (frame.type() != Messages.RECORDS) {
            throw new ProtocolException("unexpected message type " + frame.type() + " from primary " + primary);
        }
        if (frame.epoch() < epoch) {
            // A frame from before the primary's epoch when this stream began: not from this reign.
            LOG.log(System.Logger.Level.WARNING, "heap " + heap.name() + ": refused records of stale epoch "
                    + frame.epoch() + " from " + primary + " (current epoch " + epoch + ")");
            return;
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
        if (primaryEnd >= 0) {
            log.forceAll();
            heap.durableSequence(heap.lastAppended());
            connection.send(Frame.oneWay(Messages.ACK, Math.max(epoch, frame.epoch()), new Messages.Ack(primaryEnd, heap.lastAppended()).encode()));
        }
        commitPoint = Math.max(commitPoint, records.commitPoint());
        while (!pending.isEmpty() && pending.peekFirst().lsnEnd() <= commitPoint) {
            apply(pending.removeFirst());
        }
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
