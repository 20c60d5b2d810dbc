package dev.hotpot.cluster;

import dev.hotpot.HotpotException;

/** A replication message that does not decode or does not fit the protocol state; nothing it carried was applied. */
public class ProtocolException extends HotpotException {
    public ProtocolException(String message) {
        super(message);
    }
}
