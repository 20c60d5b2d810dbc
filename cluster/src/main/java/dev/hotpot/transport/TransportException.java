package dev.hotpot.transport;

import dev.hotpot.HotpotException;

/** A message could not be sent or received: the connection is closed, or its peer misbehaved. */
public class TransportException extends HotpotException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
