package dev.hotpot.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The commit sequence of each transaction id this node has logged lately: a primary answers a
 * commit retried after an unknown outcome with the sequence it already has, so that every
 * transaction applies exactly once. Every node records the ids of the records it logs, so that a
 * backup promoted to primary knows them too.
 *
 * <p>Invariants: holds the newest {@value #CAPACITY} ids logged since this node opened the heap.
 *
 * <p>Threading: safe from any thread.
 */
final class RecentCommits {
    static final int CAPACITY = 1 << 20;

    private final LinkedHashMap<Long, Long> sequences = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void logged(long txId, long sequence) {
        sequences.put(txId, sequence);
    }

    /** The sequence of transaction {@code txId}, or -1 if this node has not logged it lately. */
    synchronized long sequenceOf(long txId) {
        Long sequence = sequences.get(txId);
        return sequence == null ? -1 : sequence;
    }
}
