package dev.hotpot.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens authenticated connections between the nodes of a cluster: the seam between replication
 * and the network, implemented on TCP by {@link TcpTransport} and meant to admit RDMA later.
 *
 * <p>Invariants: no frame reaches a handler from a connection whose peer has not completed the
 * handshake; closing the transport closes its listeners and every connection it opened or
 * accepted.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface Transport extends AutoCloseable {
    /**
     * Listens at {@code bind}; the frames of every authenticated inbound connection go to
     * {@code handler}.
     *
     * @return the bound address (its port when {@code bind} asked for port 0)
     * @throws IOException if the address cannot be bound
     */
    InetSocketAddress listen(InetSocketAddress bind, InboundHandler handler) throws IOException;

    /**
     * Opens an authenticated connection to node {@code peerId} at {@code address}; the frames the
     * peer sends on it (ONE_WAY frames and requests) go to {@code handler}. Blocks until the
     * handshake is done.
     *
     * @throws IOException        if no TCP connection could be opened
     * @throws HandshakeException if the peer did not prove the secret, is not {@code peerId}, or
     *                            did not finish the handshake in time
     */
    Connection connect(String peerId, InetSocketAddress address, InboundHandler handler) throws IOException;

    @Override
    void close();
}
