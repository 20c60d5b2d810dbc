package dev.hotpot.transport;

/**
 * A received frame is malformed: bad magic, version or kind, a length out of range, a CRC mismatch,
 * or a stream that ends inside a frame. The connection it came on has lost its framing and is closed.
 */
public final class FrameException extends TransportException {
    public FrameException(String message) {
        super(message);
    }
}
