package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The answers a primary owes other nodes for their commit requests whose records are logged and
 * forced here but not yet committed: each is due once the commit point reaches the end of its
 * record, and whichever thread moves the commit point sends it, so that no thread waits for the
 * backups' acknowledgements on a request's behalf.
 *
 * <p>Invariants: an answer is taken at most once, and only once the commit point given reaches
 * its record's end; answers are taken in the order of their records' ends; an answer whose
 * connection closed, or that waited past its deadline (its sender has given up by then), is
 * dropped by {@link #dropStale}, so that answers a primary cannot give do not pile up.
 *
 * <p>Threading: safe from any thread; the methods are short and never send.
 */
final class CommitAnswers {
    /**
     * The answer to {@code request} (kept without its payload), received on {@code connection}, due
     * once the log is committed up to {@code end}; not worth sending after {@code deadline}
     * ({@link System#nanoTime}).
     */
    record Answer(long end, long deadline, Connection connection, Frame request, byte[] payload) {
    }

    /** Guarded by this. */
    private final PriorityQueue<Answer> waiting = new PriorityQueue<>(Comparator.comparingLong(Answer::end));

    synchronized void add(Answer answer) {
        waiting.add(answer);
    }

    /** Removes and returns the answers due at commit point {@code commitPoint}, in the order of their records. */
    synchronized List<Answer> takeDue(long commitPoint) {
        if (!anyDue(commitPoint)) {
            return List.of();
        }
        List<Answer> due = new ArrayList<>();
        while (anyDue(commitPoint)) {
            due.add(waiting.poll());
        }
        return due;
    }

    /** Whether an answer is due at commit point {@code commitPoint}. */
    synchronized boolean anyDue(long commitPoint) {
        return !waiting.isEmpty() && waiting.peek().end() <= commitPoint;
    }

    /** Drops the answers whose connection closed or whose deadline passed; returns how many. */
    synchronized int dropStale(long now) {
        int before = waiting.size();
        waiting.removeIf(answer -> !answer.connection().isOpen() || now - answer.deadline() > 0);
        return before - waiting.size();
    }

    /** Drops every answer: the connections they would go on are closed, and their senders ask the next primary. */
    synchronized void clear() {
        waiting.clear();
    }
}
