package dev.hotpot;

/**
 * Base of every error Hotpot raises. Unchecked: callers catch the subtype they can act on.
 * Messages say what failed, give {@code key=value} context, and say what to do.
 */
public class HotpotException extends RuntimeException {
    public HotpotException(String message) {
        super(message);
    }

    public HotpotException(String message, Throwable cause) {
        super(message, cause);
    }
}
