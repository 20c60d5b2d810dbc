package dev.hotpot.transport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.hotpot.transport.HandshakeDescriptor.*;

/**
 * The mutual challenge-response that opens every connection (layout in
 * {@link HandshakeDescriptor}): both sides send a hello with a fresh nonce and their node id;
 * then the connector proves that it knows the cluster secret, and the listener proves it back.
 *
 * <p>Invariants: the listener sends nothing but its hello before it has verified the connector's
 * proof, so a peer without the secret learns only the listener's id. The connector sends its
 * proof first, but only after checking that the listener claims the id it asked for, and that
 * proof is bound to the listener's fresh nonce: worthless on any other connection. Without a
 * secret the proofs are zeros: ids are exchanged and nothing is proven, and a node with a secret
 * refuses a node without one (and the other way round). Every handshake ends by its deadline.
 *
 * <p>Threading: immutable; each call runs one handshake on the calling thread.
 */
final class Handshake {
    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String selfId;
    private final byte[] selfIdBytes;
    private final SecretKeySpec key;
    private final Duration timeout;

    /** @param secretOrNull the cluster secret, not empty; null for none */
    Handshake(String selfId, byte[] secretOrNull, Duration timeout) {
        this.selfId = selfId;
        this.selfIdBytes = selfId.getBytes(StandardCharsets.UTF_8);
        if (selfIdBytes.length < 1 || selfIdBytes.length > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("node id must be 1.." + MAX_ID_LENGTH + " bytes of UTF-8: selfId=\""
                    + selfId + "\", bytes=" + selfIdBytes.length);
        }
        if (secretOrNull != null && secretOrNull.length == 0) {
            throw new IllegalArgumentException("cluster secret is empty: pass null for a cluster without a secret");
        }
        this.key = secretOrNull == null ? null : new SecretKeySpec(secretOrNull, MAC_ALGORITHM);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: handshakeTimeout=" + timeout);
        }
        this.timeout = timeout;
    }

    String selfId() {
        return selfId;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Runs the connector's side on a freshly connected channel.
     *
     * @param expectedPeerId the node the listener must be, or null to take whichever node it proves to be
     * @return the node id the listener proved
     * @throws HandshakeException if the listener is not {@code expectedPeerId}, does not prove the
     *                            secret, breaks the protocol or the deadline
     */
    String asConnector(SocketChannel channel, InputStream in, String expectedPeerId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] nonce = nonce();
        try {
            writeFully(channel, hello(nonce, selfIdBytes));
            Hello peer = readHello(channel, in, deadline);
            if (expectedPeerId != null && !peer.id().equals(expectedPeerId)) {
                throw new HandshakeException("connected to node=" + peer.id() + " but expected peer=" + expectedPeerId
                        + "; check the address of " + expectedPeerId + " in the cluster configuration");
            }
            writeFully(channel, ByteBuffer.wrap(proof(CONNECTOR_LABEL, nonce, peer.nonce(),
                    selfIdBytes, peer.idBytes())));
            byte[] proof = readFully(channel, in, PROOF_LENGTH, deadline);
            verify(proof, proof(LISTENER_LABEL, peer.nonce(), nonce, peer.idBytes(), selfIdBytes), peer.id());
            return peer.id();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * Runs the listener's side on a freshly accepted channel; {@code in} must support mark.
     *
     * @return the node id the connector proved
     * @throws HandshakeException if the connector does not prove the secret, breaks the protocol
     *                            or the deadline
     * @throws ClosedUnheardException if the connector closed the connection before it sent a byte
     */
    String asListener(SocketChannel channel, InputStream in) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] nonce = nonce();
        try {
            writeFully(channel, hello(nonce, selfIdBytes));
            awaitFirstByte(channel, in, deadline);
            Hello peer = readHello(channel, in, deadline);
            byte[] proof = readFully(channel, in, PROOF_LENGTH, deadline);
            verify(proof, proof(CONNECTOR_LABEL, peer.nonce(), nonce, peer.idBytes(), selfIdBytes), peer.id());
            writeFully(channel, ByteBuffer.wrap(proof(LISTENER_LABEL, nonce, peer.nonce(),
                    selfIdBytes, peer.idBytes())));
            return peer.id();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private record Hello(byte[] nonce, byte[] idBytes, String id) {
    }

    private static Hello readHello(SocketChannel channel, InputStream in, long deadline) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(readFully(channel, in, HELLO_HEADER_LENGTH, deadline))
                .order(ByteOrder.LITTLE_ENDIAN);
        int idLength = checkHelloHeader(header);
        byte[] nonce = new byte[NONCE_LENGTH];
        header.get(NONCE_OFFSET, nonce);
        byte[] idBytes = readFully(channel, in, idLength, deadline);
        try {
            String id = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(idBytes)).toString();
            return new Hello(nonce, idBytes, id);
        } catch (CharacterCodingException e) {
            throw new HandshakeException("bad node id in handshake: not UTF-8, idLength=" + idLength, e);
        }
    }

    private void verify(byte[] received, byte[] expected, String peerId) {
        if (!MessageDigest.isEqual(received, expected)) {
            throw new HandshakeException("peer=" + peerId + " did not prove the cluster secret: its proof does not"
                    + " match; it has another secret, or one of the two nodes has none (this node has "
                    + (key == null ? "none" : "one") + "): give every node the same secret");
        }
    }

    /** What the side that sends {@code ownNonce} proves; zeros without a secret. */
    private byte[] proof(String label, byte[] ownNonce, byte[] otherNonce, byte[] ownId, byte[] otherId) {
        if (key == null) {
            return new byte[PROOF_LENGTH];
        }
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update(ownNonce);
            mac.update(otherNonce);
            updateId(mac, ownId);
            updateId(mac, otherId);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC_ALGORITHM + " is missing from this JDK; every JDK must provide it", e);
        }
    }

    private static void updateId(Mac mac, byte[] id) {
        mac.update((byte) id.length);
        mac.update((byte) (id.length >>> 8));
        mac.update(id);
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** Waits until the connector sends something; throws if it closes without a word. */
    private static void awaitFirstByte(SocketChannel channel, InputStream in, long deadline) throws IOException {
        setReadTimeout(channel, deadline);
        in.mark(1);
        int first;
        try {
            first = in.read();
        } catch (SocketException reset) {
            // An abortive close (SO_LINGER 0) resets the connection instead of ending it.
            throw new ClosedUnheardException("the peer reset the connection before it sent a byte");
        }
        if (first < 0) {
            throw new ClosedUnheardException("the peer closed the connection before it sent a byte");
        }
        in.reset();
    }

    /** Reads exactly {@code length} bytes, each read bounded by what is left until the deadline. */
    private static byte[] readFully(SocketChannel channel, InputStream in, int length, long deadline)
            throws IOException {
        byte[] bytes = new byte[length];
        int filled = 0;
        while (filled < length) {
            setReadTimeout(channel, deadline);
            int got = in.read(bytes, filled, length - filled);
            if (got < 0) {
                throw new EOFException();
            }
            filled += got;
        }
        return bytes;
    }

    /** Bounds the next read by what is left until the deadline; throws if nothing is left. */
    private static void setReadTimeout(SocketChannel channel, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException();
        }
        channel.socket().setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    /** Writes every byte of {@code buffers}: a blocking channel may write only part of them per call. */
    private static void writeFully(SocketChannel channel, ByteBuffer... buffers) throws IOException {
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining()) {
                channel.write(buffers);
            }
        }
    }

    private HandshakeException failed(IOException e) {
        return switch (e) {
            case EOFException _ -> new HandshakeException("the peer closed the connection during the handshake: it"
                    + " refused this node (check that both have the same secret, or both none) or it is not a"
                    + " Hotpot node", e);
            case SocketTimeoutException _ -> new HandshakeException("handshake not finished within handshakeTimeout="
                    + timeout.toMillis() + "ms; the peer is not a Hotpot node, or is overloaded", e);
            default -> new HandshakeException("handshake failed: " + e, e);
        };
    }
}
