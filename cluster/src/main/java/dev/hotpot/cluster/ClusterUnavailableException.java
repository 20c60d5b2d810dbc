package dev.hotpot.cluster;

import dev.hotpot.HotpotException;

/**
 * This node cannot reach its heap's primary or the coordinator's majority within the commit
 * timeout, and the commit was never sent: nothing changed. Reads still see this node's copy,
 * which may be stale.
 */
public class ClusterUnavailableException extends HotpotException {
    public ClusterUnavailableException(String message) {
        super(message);
    }
}
