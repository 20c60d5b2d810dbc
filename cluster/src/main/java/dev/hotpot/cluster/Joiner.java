package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;

/**
 * A node the primary is bringing onto its log stream, from its subscription until it is a
 * {@link Subscriber}: the primary keeps its log from {@code from}, where the records the node will
 * be sent start (the end of its own log, or the tail of the image it is being sent), and watches
 * whether the node takes what is sent.
 *
 * <p>A joiner equals only itself, as a member of the primary's set of joiners must: each has a
 * watch of its own, and a watch equals only itself.
 *
 * <p>Threading: immutable but for the watch, which the primary's monitor alone uses.
 */
record Joiner(String node, Connection connection, long from, StallWatch stall) {
    Joiner(String node, Connection connection, long from) {
        this(node, connection, from, new StallWatch(connection));
    }
}
