package dev.hotpot.transport;

/**
 * An inbound connection closed before its peer sent a single byte: nothing was asked and nothing
 * was refused. A check whether this node listens at all (the coordinator's probe of a member
 * whose process may be gone) looks like this.
 */
public final class ClosedUnheardException extends TransportException {
    public ClosedUnheardException(String message) {
        super(message);
    }
}
