package dev.hotpot.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The commit sequence of each transaction id this node has logged lately: a primary answers a
 * commit retried after an unknown outcome with the sequence it already has, so that every
 * transaction applies exactly once. Every node records the ids of the records it logs, so that a
 * backup promoted to primary knows them too; the newest {@value #SAVED} of them outlive
 * checkpoints and restarts in a {@link RecentCommitsFile}.
 *
 * <p>Invariants: holds at most the newest {@value #CAPACITY} ids recorded, in the order recorded.
 *
 * <p>Threading: safe from any thread.
 */
final class RecentCommits {
    static final int CAPACITY = 1 << 20;
    /**
     * How many ids a checkpoint keeps on disk: a retry comes within the commit timeout of its first
     * attempt, and this covers well over a minute of commits at the throughput measured here.
     */
    static final int SAVED = 1 << 19;

    private final LinkedHashMap<Long, Long> sequences = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void logged(long txId, long sequence) {
        sequences.put(txId, sequence);
    }

    /** The newest {@code limit} ids as pairs (txId, sequence), oldest first. */
    synchronized long[] newest(int limit) {
        int count = Math.min(limit, sequences.size());
        long[] pairs = new long[2 * count];
        int skip = sequences.size() - count;
        int at = 0;
        for (Map.Entry<Long, Long> entry : sequences.entrySet()) {
            if (skip-- > 0) {
                continue;
            }
            pairs[at++] = entry.getKey();
            pairs[at++] = entry.getValue();
        }
        return pairs;
    }

    /** The sequence of transaction {@code txId}, or -1 if this node has not logged it lately. */
    synchronized long sequenceOf(long txId) {
        Long sequence = sequences.get(txId);
        return sequence == null ? -1 : sequence;
    }
}
