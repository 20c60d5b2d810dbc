package dev.hotpot.tx;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Turns of the transaction attempts of a cluster node that sends its commits to a primary, where
 * the {@link CommitGate} cannot serve (a routed commit waits for its own record to be applied,
 * which a closed gate would stop). Every attempt holds a shared turn; a transaction that keeps
 * conflicting takes the exclusive turn for its next attempt, so that no other transaction of this
 * node can make it conflict again; commits of other nodes are held back by the primary once such an
 * attempt conflicts there. Without it, many threads of one node updating one hot record can make a
 * transaction lose every attempt.
 *
 * <p>Either turn is waited for at most {@link #EXCLUSIVE_WAIT_MILLIS}: a transaction denied the
 * exclusive turn runs with a shared one, and one denied a shared turn (an exclusive holder's
 * attempt is slow) runs without a turn. Attempts end within a round trip to the primary when the
 * cluster is well, but a node cut off from its primary has attempts that take the whole commit
 * timeout to fail, and a transaction must not add another one's commit timeout to its own.
 *
 * <p>Invariants: while a thread holds the exclusive turn, no other thread of this node starts an
 * attempt within {@link #EXCLUSIVE_WAIT_MILLIS} of asking for its turn. Bodies must not wait for a
 * commit of another thread of this node (the same contract as running alone behind the gate).
 *
 * <p>Threading: safe from any thread; a turn is held by the thread that took it, a shared one for
 * one attempt, the exclusive one until its transaction ends.
 */
final class NodeTurns {
    /** How long a transaction that keeps conflicting waits for the exclusive turn. */
    static final long EXCLUSIVE_WAIT_MILLIS = 200;

    private final ReentrantReadWriteLock turns = new ReentrantReadWriteLock();

    /**
     * Takes a turn: the exclusive one if {@code alone} and it comes within
     * {@link #EXCLUSIVE_WAIT_MILLIS}, else a shared one if that comes within as long; unlock it
     * after the attempt. Null when neither came: the attempt runs without a turn.
     */
    Lock take(boolean alone) {
        if (alone && within(turns.writeLock())) {
            return turns.writeLock();
        }
        return within(turns.readLock()) ? turns.readLock() : null;
    }

    /**
     * Whether {@code turn} is the exclusive one. A transaction keeps it from one attempt to the next:
     * after a conflict the primary holds its commits back for this node's next request, which must
     * be that transaction's.
     */
    boolean isExclusive(Lock turn) {
        return turn == turns.writeLock();
    }

    private static boolean within(Lock turn) {
        try {
            return turn.tryLock(EXCLUSIVE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
