package dev.hotpot.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message between two nodes.
 *
 * <p>Invariants: {@code payload} is not null and at most {@link FrameDescriptor#MAX_PAYLOAD_LENGTH}
 * bytes. A REQUEST's correlation is chosen by the connection that sends it (0 until then); a
 * REPLY carries the correlation of its request; a ONE_WAY frame's correlation is 0.
 *
 * <p>Threading: immutable except for the payload array, which is not copied: whoever builds a
 * frame must not change the array after handing it to a connection, and a received payload
 * belongs to the receiver.
 *
 * @param type  what the payload is; chosen by the layer above the transport
 * @param epoch the cluster epoch of the sender, so that a receiver can drop messages of a
 *              superseded configuration
 */
public record Frame(Kind kind, int type, long epoch, long correlation, byte[] payload) {
    /** How a frame relates to others on its connection. */
    public enum Kind {
        /** Delivered in order with the other frames of its connection; nothing comes back. */
        ONE_WAY,
        /** Expects exactly one REPLY with the same correlation. */
        REQUEST,
        /** Answers the REQUEST with its correlation. */
        REPLY
    }

    public Frame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        FrameDescriptor.checkPayloadLength(payload.length);
        if (kind == Kind.ONE_WAY && correlation != 0) {
            throw new IllegalArgumentException("a ONE_WAY frame has no correlation: correlation=" + correlation);
        }
    }

    public static Frame oneWay(int type, long epoch, byte[] payload) {
        return new Frame(Kind.ONE_WAY, type, epoch, 0, payload);
    }

    /** A request to pass to {@link Connection#request}, which gives it its correlation. */
    public static Frame request(int type, long epoch, byte[] payload) {
        return new Frame(Kind.REQUEST, type, epoch, 0, payload);
    }

    /** This frame with an empty payload: enough to reply to a request later without keeping its payload. */
    public Frame withoutPayload() {
        return payload.length == 0 ? this : new Frame(kind, type, epoch, correlation, new byte[0]);
    }

    /** Equal when every field and every payload byte are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that && kind == that.kind && type == that.type && epoch == that.epoch
                && correlation == that.correlation && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, type, epoch, correlation, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Frame[kind=" + kind + ", type=" + type + ", epoch=" + epoch + ", correlation=" + correlation
                + ", payloadLength=" + payload.length + "]";
    }
}
