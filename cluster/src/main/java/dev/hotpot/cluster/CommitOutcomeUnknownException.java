package dev.hotpot.cluster;

import dev.hotpot.HotpotException;

/**
 * A commit whose outcome this node could not learn within the commit timeout: it may or may not
 * have committed. The transaction is not re-run; the application decides (for example by reading
 * whether its effect is there, or by retrying with its own idempotence key).
 */
public class CommitOutcomeUnknownException extends HotpotException {
    public CommitOutcomeUnknownException(String message) {
        super(message);
    }

    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
