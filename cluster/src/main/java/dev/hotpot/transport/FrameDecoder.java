package dev.hotpot.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.hotpot.transport.FrameDescriptor.*;

/**
 * Reads frames one after the other from a stream and refuses any that does not check.
 *
 * <p>Invariants: never allocates more than about twice the bytes the stream actually delivered
 * (plus one {@link #PAYLOAD_CHUNK}), whatever length a header claims; a call reads at most one
 * frame and never loops without input: it returns or throws once the stream has delivered the
 * frame or ended.
 *
 * <p>Threading: not thread-safe; one reader owns a decoder and its stream.
 */
public final class FrameDecoder {
    /** Payloads up to this size are read into an exact array at once; larger ones grow as they arrive. */
    static final int PAYLOAD_CHUNK = 64 << 10;
    private static final byte[] EMPTY = new byte[0];

    private final InputStream in;
    private final ByteBuffer header = newHeader();
    private final CRC32C crc = new CRC32C();

    public FrameDecoder(InputStream in) {
        this.in = in;
    }

    /**
     * The next frame, or null when the stream ends exactly between two frames.
     *
     * @throws FrameException if the next bytes are not a valid frame, or the stream ends inside one
     * @throws IOException    if the stream fails
     */
    public Frame read() throws IOException {
        int got = in.readNBytes(header.array(), 0, HEADER_LENGTH);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_LENGTH) {
            throw truncated("header", got, HEADER_LENGTH);
        }
        checkHeader(header);
        byte[] payload = readPayload(header.getInt(PAYLOAD_LENGTH_OFFSET));
        checkCrc(header, payload, crc);
        return new Frame(kind(header), header.getInt(TYPE_OFFSET), header.getLong(EPOCH_OFFSET),
                header.getLong(CORRELATION_OFFSET), payload);
    }

    /**
     * Whether no byte of a next frame has arrived yet (neither buffered nor waiting in the stream),
     * so that {@link #read} would block.
     *
     * @throws IOException if the stream fails
     */
    public boolean drained() throws IOException {
        return in.available() == 0;
    }

    private byte[] readPayload(int length) throws IOException {
        if (length == 0) {
            return EMPTY;
        }
        byte[] payload = new byte[Math.min(length, PAYLOAD_CHUNK)];
        int filled = 0;
        while (true) {
            filled += in.readNBytes(payload, filled, payload.length - filled);
            if (filled < payload.length) {
                throw truncated("payload", filled, length);
            }
            if (filled == length) {
                return payload;
            }
            // Grow only once the bytes are there: a bogus length costs what the peer really sent.
            payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
        }
    }

    private static FrameException truncated(String part, int got, int expected) {
        return new FrameException("truncated frame: the stream ended after " + got + " of " + expected + " " + part
                + " bytes; the peer closed the connection inside a frame or the input is cut short");
    }
}
