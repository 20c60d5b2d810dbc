package dev.hotpot.coordinator;

import dev.hotpot.HotpotException;

/**
 * The coordinator refused a command that does not fit the cluster's state (an unknown heap, a backup
 * that is not live, a heap created again with another size, ...). Nothing changed; the message says
 * why and what to do.
 */
public class CommandRefusedException extends HotpotException {
    public CommandRefusedException(String message) {
        super(message);
    }

    public CommandRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
