package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;

/**
 * A node the primary is bringing onto its log stream, from its subscription until it is a
 * {@link Subscriber}: the primary keeps its log from {@link #from}, where the records the node will
 * be sent start (the end of its own log, or the tail of the image it is being sent), and watches
 * whether the node takes what is sent.
 *
 * <p>Identity is equality: two subscriptions of one node are two joiners.
 *
 * <p>Threading: immutable but for the watch, which the primary's monitor alone uses.
 */
final class Joiner {
    private final String node;
    private final Connection connection;
    private final long from;
    private final StallWatch stall;

    Joiner(String node, Connection connection, long from) {
        this.node = node;
        this.connection = connection;
        this.from = from;
        this.stall = new StallWatch(connection);
    }

    String node() {
        return node;
    }

    Connection connection() {
        return connection;
    }

    long from() {
        return from;
    }

    StallWatch stall() {
        return stall;
    }
}
