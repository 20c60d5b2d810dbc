package dev.hotpot.transport;

/**
 * A connection was refused while it opened: the peer did not prove the cluster secret, is another
 * node than the one asked for, is not a Hotpot node, or did not finish the handshake in time.
 * Retrying rarely helps; the message says which setting to check.
 */
public final class HandshakeException extends TransportException {
    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
