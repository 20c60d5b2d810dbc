package dev.hotpot.coordinator;

import dev.hotpot.HotpotException;

/**
 * The coordinator did not answer in time: no leader with a majority of peers, or the peers were not
 * reachable. The outcome of a command that failed so is unknown; read the state to learn it.
 */
public class CoordinatorUnavailableException extends HotpotException {
    public CoordinatorUnavailableException(String message) {
        super(message);
    }

    public CoordinatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
