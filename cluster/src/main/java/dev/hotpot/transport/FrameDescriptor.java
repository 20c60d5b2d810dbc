package dev.hotpot.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Binary layout of one cluster wire frame (format version 1): a fixed header, then the payload.
 * Integers are little-endian, as in every Hotpot format.
 *
 * <pre>
 *   0  int    magic          bytes "HPFR"
 *   4  short  formatVersion  1
 *   6  short  kind           1 = ONE_WAY, 2 = REQUEST, 3 = REPLY
 *   8  int    type           what the payload is, chosen by the layer above
 *  12  int    payloadLength  0 .. MAX_PAYLOAD_LENGTH
 *  16  long   epoch          cluster epoch of the sender
 *  24  long   correlation    REQUEST: unique among the requests of its connection;
 *                            REPLY: that of its request; ONE_WAY: 0
 *  32  int    crc            CRC32C of bytes [0, 32), then of the payload
 *  36  payload
 * </pre>
 *
 * <p>A reader checks magic, version, kind (and a ONE_WAY's correlation) and length before it reads
 * the payload, so a bogus length is refused or bounded before any buffer is sized by it, and the
 * CRC once the payload is in. A frame counts only if all of them check. Frames follow each other
 * without padding.
 *
 * <p>Threading: stateless; the buffers and CRC passed in belong to the caller.
 */
public final class FrameDescriptor {
    public static final int MAGIC = 0x52465048;
    public static final short FORMAT_VERSION = 1;
    public static final short KIND_ONE_WAY = 1;
    public static final short KIND_REQUEST = 2;
    public static final short KIND_REPLY = 3;
    /** Larger messages (a huge transaction's redo) must be split by the layer above. */
    public static final int MAX_PAYLOAD_LENGTH = 64 << 20;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int KIND_OFFSET = 6;
    public static final int TYPE_OFFSET = 8;
    public static final int PAYLOAD_LENGTH_OFFSET = 12;
    public static final int EPOCH_OFFSET = 16;
    public static final int CORRELATION_OFFSET = 24;
    public static final int CRC_OFFSET = 32;
    public static final int HEADER_LENGTH = 36;

    private FrameDescriptor() {
    }

    /** A buffer for one header: heap-backed, little-endian. */
    static ByteBuffer newHeader() {
        return ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes the header of {@code frame} at the start of {@code header}, CRC included. */
    static void putHeader(ByteBuffer header, Frame frame, CRC32C crc) {
        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putShort(VERSION_OFFSET, FORMAT_VERSION);
        header.putShort(KIND_OFFSET, kindCode(frame.kind()));
        header.putInt(TYPE_OFFSET, frame.type());
        header.putInt(PAYLOAD_LENGTH_OFFSET, frame.payload().length);
        header.putLong(EPOCH_OFFSET, frame.epoch());
        header.putLong(CORRELATION_OFFSET, frame.correlation());
        header.putInt(CRC_OFFSET, crc(header, frame.payload(), crc));
    }

    /** Checks what can be checked before the payload is read: magic, version, kind, correlation and length. */
    static void checkHeader(ByteBuffer header) {
        int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new FrameException("not a Hotpot frame: magic=0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + " (\"HPFR\"); the peer is not a Hotpot node"
                    + " or the stream lost its framing: close the connection");
        }
        short version = header.getShort(VERSION_OFFSET);
        if (version != FORMAT_VERSION) {
            throw new FrameException("unsupported frame format: formatVersion=" + version + ", this node reads "
                    + FORMAT_VERSION + "; run the same Hotpot version on every node");
        }
        if (kind(header) == Frame.Kind.ONE_WAY && header.getLong(CORRELATION_OFFSET) != 0) {
            throw new FrameException("bad ONE_WAY frame: correlation=" + header.getLong(CORRELATION_OFFSET)
                    + ", expected 0; the frame is damaged or the peer runs another Hotpot version");
        }
        int length = header.getInt(PAYLOAD_LENGTH_OFFSET);
        if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
            throw new FrameException("bad frame length: payloadLength=" + length + ", allowed 0.." + MAX_PAYLOAD_LENGTH
                    + "; the frame is damaged or the peer runs another Hotpot version");
        }
    }

    /** Checks the CRC of a header that passed {@link #checkHeader} and of its payload. */
    static void checkCrc(ByteBuffer header, byte[] payload, CRC32C crc) {
        int stored = header.getInt(CRC_OFFSET);
        int computed = crc(header, payload, crc);
        if (stored != computed) {
            throw new FrameException("frame CRC mismatch: crc=0x" + Integer.toHexString(stored) + ", computed 0x"
                    + Integer.toHexString(computed) + ", type=" + header.getInt(TYPE_OFFSET) + ", payloadLength="
                    + payload.length + "; the frame was damaged in transit: close the connection");
        }
    }

    static Frame.Kind kind(ByteBuffer header) {
        short code = header.getShort(KIND_OFFSET);
        return switch (code) {
            case KIND_ONE_WAY -> Frame.Kind.ONE_WAY;
            case KIND_REQUEST -> Frame.Kind.REQUEST;
            case KIND_REPLY -> Frame.Kind.REPLY;
            default -> throw new FrameException("bad frame kind: kind=" + code + ", expected " + KIND_ONE_WAY
                    + " (ONE_WAY), " + KIND_REQUEST + " (REQUEST) or " + KIND_REPLY + " (REPLY)");
        };
    }

    static short kindCode(Frame.Kind kind) {
        return switch (kind) {
            case ONE_WAY -> KIND_ONE_WAY;
            case REQUEST -> KIND_REQUEST;
            case REPLY -> KIND_REPLY;
        };
    }

    static void checkPayloadLength(int length) {
        if (length > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("frame payload too long: payloadLength=" + length + ", max="
                    + MAX_PAYLOAD_LENGTH + "; split the message into several frames");
        }
    }

    /** The CRC32C of header bytes {@code [0, CRC_OFFSET)}, then of {@code payload}. */
    private static int crc(ByteBuffer header, byte[] payload, CRC32C crc) {
        crc.reset();
        crc.update(header.array(), header.arrayOffset(), CRC_OFFSET);
        crc.update(payload);
        return (int) crc.getValue();
    }
}
