package dev.hotpot.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The commit sequence of each record of this node's retained log, by the position where the
 * record ends: a node that subscribes with its last sequence is streamed from the position after
 * that record, if this log still has it. The entry of the sequence the heap opened at is the
 * log's start.
 *
 * <p>Invariants: sequences grow with positions; at least one entry is kept.
 *
 * <p>Threading: safe from any thread.
 */
final class LogIndex {
    /** A record's sequence and the log position after it. */
    record Point(long sequence, long end) {
    }

    private final ConcurrentSkipListMap<Long, Long> sequences = new ConcurrentSkipListMap<>();

    /** Starts the index at the log's start position, after the record of {@code sequence}. */
    LogIndex(long sequence, long logStart) {
        sequences.put(logStart, sequence);
    }

    void add(long sequence, long lsnEnd) {
        sequences.put(lsnEnd, sequence);
    }

    /** The log position after the record of {@code sequence}, or -1 if the retained log does not have it. */
    long endOf(long sequence) {
        for (Map.Entry<Long, Long> entry : sequences.descendingMap().entrySet()) {
            if (entry.getValue() == sequence) {
                return entry.getKey();
            }
            if (entry.getValue() < sequence) {
                return -1;
            }
        }
        return -1;
    }

    Point last() {
        Map.Entry<Long, Long> last = sequences.lastEntry();
        return new Point(last.getValue(), last.getKey());
    }

    Point first() {
        Map.Entry<Long, Long> first = sequences.firstEntry();
        return new Point(first.getValue(), first.getKey());
    }

    /** The end of the newest record that ends at or below {@code lsn}, or the oldest end if none does. */
    long floorEnd(long lsn) {
        Long end = sequences.floorKey(lsn);
        return end != null ? end : sequences.firstKey();
    }

    /** Forgets records that end below {@code lsn}, keeping the newest one: their segments may be recycled. */
    void forgetBelow(long lsn) {
        Long keep = sequences.lastKey();
        sequences.headMap(Math.min(lsn, keep)).clear();
    }
}
