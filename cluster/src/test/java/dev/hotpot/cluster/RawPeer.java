package dev.hotpot.cluster;

import dev.hotpot.heap.Pages;
import dev.hotpot.log.LogRecordDescriptor;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.transport.InboundHandler;
import dev.hotpot.transport.TcpTransport;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer of a cluster node, for tests that send it exact messages: it subscribes to a
 * heap as a non-replica (which binds its connection to the heap), then sends commits that read
 * and store one long (a read-modify-write: its page is in the read set), with the transaction id,
 * read version and epoch the test chooses.
 *
 * <p>Threading: one test thread.
 */
final class RawPeer implements AutoCloseable {
    private final TcpTransport transport;
    private final Connection connection;
    private final long epoch;
    private final Messages.Subscribed subscribed;
    /** Opened by {@link #resume} or {@link #close}: a stalling peer reads on. */
    private final CountDownLatch resume;

    private RawPeer(TcpTransport transport, Connection connection, long epoch, Messages.Subscribed subscribed,
                    CountDownLatch resume) {
        this.transport = transport;
        this.connection = connection;
        this.epoch = epoch;
        this.subscribed = subscribed;
        this.resume = resume;
    }

    /** Connects as node {@code id} with {@code secret} to node {@code primary}, at {@code port} on 127.0.0.1, the primary of {@code heap}. */
    static RawPeer subscribe(String id, byte[] secret, String primary, int port, String heap) throws Exception {
        return subscribe(id, secret, primary, port, heap, new CountDownLatch(0), (from, frame) -> { });
    }

    /**
     * As {@link #subscribe(String, byte[], String, int, String)} without a secret, but the peer
     * stops reading at the first frame of type {@code stallAt} the primary sends it (IMAGE: as it
     * takes the heap's image; RECORDS: once the image is done) until {@link #resume} or
     * {@link #close}: a node that hangs, or pauses. Every frame goes to {@code frames}, in order,
     * the one it stopped at once it reads on.
     */
    static RawPeer subscribeStalling(String id, String primary, int port, String heap, int stallAt,
                                     InboundHandler frames) throws Exception {
        boolean[] stalled = {false}; // the connection's one reader thread's
        CountDownLatch resume = new CountDownLatch(1);
        return subscribe(id, null, primary, port, heap, resume, (from, frame) -> {
            if (frame.type() == stallAt && !stalled[0]) {
                stalled[0] = true;
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            frames.onFrame(from, frame);
        });
    }

    private static RawPeer subscribe(String id, byte[] secret, String primary, int port, String heap,
                                     CountDownLatch resume, InboundHandler handler) throws Exception {
        TcpTransport transport = new TcpTransport(id, secret);
        try {
            Connection connection = transport.connect(primary, new InetSocketAddress("127.0.0.1", port), handler);
            Frame reply = connection.request(Frame.request(Messages.SUBSCRIBE, 0,
                    new Messages.Subscribe(heap, id, -1, false).encode())).get(10, TimeUnit.SECONDS);
            Messages.Subscribed subscribed = Messages.Subscribed.decode(reply.payload());
            return new RawPeer(transport, connection, reply.epoch(), subscribed, resume);
        } catch (Exception e) {
            resume.countDown();
            transport.close();
            throw e;
        }
    }

    /** The primary's epoch when it answered the subscription. */
    long epoch() {
        return epoch;
    }

    /** The primary's answer to the subscription: for an image, its tail's sequence and position. */
    Messages.Subscribed subscribed() {
        return subscribed;
    }

    /**
     * Sends a commit that read the long at {@code address} as of {@code readVersion} and stores
     * {@code value} there, in {@code epoch}, and returns the answer.
     */
    Messages.Committed commit(long epoch, long txId, long readVersion, long address, long value) throws Exception {
        MemorySegment body = MemorySegment.ofArray(new byte[LogRecordDescriptor.RANGE_HEADER_LENGTH + Long.BYTES]);
        body.set(ValueLayout.JAVA_LONG_UNALIGNED, LogRecordDescriptor.RANGE_ADDRESS_OFFSET, address);
        body.set(ValueLayout.JAVA_INT_UNALIGNED, LogRecordDescriptor.RANGE_LENGTH_OFFSET, Long.BYTES);
        body.set(ValueLayout.JAVA_LONG_UNALIGNED, LogRecordDescriptor.RANGE_HEADER_LENGTH, value);
        byte[] payload = new Messages.Commit(txId, readVersion, false, new int[] {Pages.pageOf(address)}, 1, body).encode();
        Frame reply = connection.request(Frame.request(Messages.COMMIT, epoch, payload)).get(10, TimeUnit.SECONDS);
        return Messages.Committed.decode(reply.payload());
    }

    /** Lets a stalling peer read on. */
    void resume() {
        resume.countDown();
    }

    @Override
    public void close() throws IOException {
        resume();
        connection.close();
        transport.close();
    }
}
