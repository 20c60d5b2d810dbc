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

    private RawPeer(TcpTransport transport, Connection connection, long epoch) {
        this.transport = transport;
        this.connection = connection;
        this.epoch = epoch;
    }

    /** Connects as node {@code id} with {@code secret} to node {@code primary}, at {@code port} on 127.0.0.1, the primary of {@code heap}. */
    static RawPeer subscribe(String id, byte[] secret, String primary, int port, String heap) throws Exception {
        return subscribe(id, secret, primary, port, heap, (from, frame) -> { });
    }

    /**
     * As {@link #subscribe(String, byte[], String, int, String)}, but the peer stops reading at the
     * first records the primary streams to it, after the heap's image, until {@code resume} opens:
     * a node that hangs.
     */
    static RawPeer subscribeStalling(String id, String primary, int port, String heap, CountDownLatch resume)
            throws Exception {
        return subscribe(id, null, primary, port, heap, (from, frame) -> {
            if (frame.type() != Messages.RECORDS) {
                return;
            }
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static RawPeer subscribe(String id, byte[] secret, String primary, int port, String heap,
                                     InboundHandler handler) throws Exception {
        TcpTransport transport = new TcpTransport(id, secret);
        try {
            Connection connection = transport.connect(primary, new InetSocketAddress("127.0.0.1", port), handler);
            long epoch = connection.request(Frame.request(Messages.SUBSCRIBE, 0,
                    new Messages.Subscribe(heap, id, -1, false).encode())).get(10, TimeUnit.SECONDS).epoch();
            return new RawPeer(transport, connection, epoch);
        } catch (Exception e) {
            transport.close();
            throw e;
        }
    }

    /** The primary's epoch when it answered the subscription. */
    long epoch() {
        return epoch;
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
        byte[] payload = new Messages.Commit(txId, readVersion, new int[] {Pages.pageOf(address)}, 1, body).encode();
        Frame reply = connection.request(Frame.request(Messages.COMMIT, epoch, payload)).get(10, TimeUnit.SECONDS);
        return Messages.Committed.decode(reply.payload());
    }

    @Override
    public void close() throws IOException {
        connection.close();
        transport.close();
    }
}
