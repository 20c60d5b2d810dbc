package dev.hotpot.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Binary layout of the two handshake messages (format version 1) that open every connection,
 * before any frame. Integers are little-endian.
 *
 * <pre>
 * hello, sent by both sides as soon as the TCP connection is open:
 *   0  int       magic          bytes "HPHS"
 *   4  short     formatVersion  1
 *   6  short     idLength       1 .. MAX_ID_LENGTH
 *   8  byte[32]  nonce          fresh random bytes
 *  40  byte[]    id             the sender's node id, UTF-8, idLength bytes
 *
 * proof, sent by the connector after both hellos, by the listener only once it verified the
 * connector's:
 *   0  byte[32]  HMAC-SHA256(secret, label, ownNonce, otherNonce, ownIdLength, ownId,
 *                            otherIdLength, otherId), lengths as 2-byte little-endian integers;
 *                all zeros when the cluster has no secret
 * </pre>
 *
 * <p>The labels differ per direction, so a proof cannot be reflected back to its sender; the
 * nonces make it useless on any other connection; the ids bind it to the two nodes named.
 *
 * <p>Threading: stateless.
 */
public final class HandshakeDescriptor {
    public static final int MAGIC = 0x53485048;
    public static final short FORMAT_VERSION = 1;
    public static final int MAX_ID_LENGTH = 255;
    public static final int NONCE_LENGTH = 32;
    public static final int PROOF_LENGTH = 32;
    public static final String CONNECTOR_LABEL = "hotpot transport v1 connector proof";
    public static final String LISTENER_LABEL = "hotpot transport v1 listener proof";

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ID_LENGTH_OFFSET = 6;
    public static final int NONCE_OFFSET = 8;
    public static final int ID_OFFSET = 40;
    /** The hello without its id. */
    public static final int HELLO_HEADER_LENGTH = ID_OFFSET;

    private HandshakeDescriptor() {
    }

    /** A complete hello: header, then {@code id}. */
    static ByteBuffer hello(byte[] nonce, byte[] id) {
        ByteBuffer hello = ByteBuffer.allocate(HELLO_HEADER_LENGTH + id.length).order(ByteOrder.LITTLE_ENDIAN);
        hello.putInt(MAGIC_OFFSET, MAGIC);
        hello.putShort(VERSION_OFFSET, FORMAT_VERSION);
        hello.putShort(ID_LENGTH_OFFSET, (short) id.length);
        hello.put(NONCE_OFFSET, nonce);
        hello.put(ID_OFFSET, id);
        return hello;
    }

    /**
     * Checks magic and version of a hello header and returns the id length it announces.
     *
     * @throws HandshakeException naming the bad field
     */
    static int checkHelloHeader(ByteBuffer header) {
        int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new HandshakeException("not a Hotpot handshake: magic=0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + " (\"HPHS\"); the peer is not a Hotpot node");
        }
        short version = header.getShort(VERSION_OFFSET);
        if (version != FORMAT_VERSION) {
            throw new HandshakeException("unsupported handshake format: formatVersion=" + version
                    + ", this node speaks " + FORMAT_VERSION + "; run the same Hotpot version on every node");
        }
        int idLength = header.getShort(ID_LENGTH_OFFSET);
        if (idLength < 1 || idLength > MAX_ID_LENGTH) {
            throw new HandshakeException("bad node id in handshake: idLength=" + idLength + ", allowed 1.."
                    + MAX_ID_LENGTH);
        }
        return idLength;
    }
}
