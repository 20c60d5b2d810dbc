package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;

/**
 * Tells a node that takes nothing from one that is only slow: frames have waited to be sent on
 * its connection for longer than a timeout while the connection sent not one byte.
 *
 * <p>Threading: {@link #stalledFor} by one thread (the primary's monitor), which calls it at
 * regular intervals, so that the clock starts again whenever the node takes something.
 */
final class StallWatch {
    private final Connection connection;
    /** The connection's bytes sent when frames were first seen waiting, and when. */
    private long stallBytes = -1;
    private long stallSince;

    StallWatch(Connection connection) {
        this.connection = connection;
    }

    /** Whether frames have waited for longer than {@code timeout} while the connection sent no byte. */
    boolean stalledFor(long now, long timeout) {
        long sent = connection.sentBytes();
        boolean backlogged = connection.isBacklogged();
        if (!backlogged || sent != stallBytes) {
            stallBytes = backlogged ? sent : -1;
            stallSince = now;
            return false;
        }
        return now - stallSince > timeout;
    }
}
