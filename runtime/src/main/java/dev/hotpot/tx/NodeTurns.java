package dev.hotpot.tx;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Turns of the transaction attempts of a cluster node that sends its commits to a primary, where
 * the {@link CommitGate} cannot serve (a routed commit waits for its own record to be applied,
 * which a closed gate would stop). Every attempt holds a shared turn; a transaction that keeps
 * conflicting takes the exclusive turn for its next attempt, so that no other transaction of this
 * node can make it conflict again; only commits of other nodes still can. Without it, many
 * threads of one node updating one hot record can make a transaction lose every attempt.
 *
 * <p>Invariants: while a thread holds the exclusive turn, no other thread of this node is inside
 * an attempt. Bodies must not wait for a commit of another thread of this node (the same
 * contract as running alone behind the gate).
 *
 * <p>Threading: safe from any thread; a turn is held by the thread that took it, for one attempt.
 */
final class NodeTurns {
    private final ReentrantReadWriteLock turns = new ReentrantReadWriteLock();

    /** Waits for and takes a turn: the exclusive one if {@code alone}, else a shared one; unlock it after the attempt. */
    Lock take(boolean alone) {
        Lock turn = alone ? turns.writeLock() : turns.readLock();
        turn.lock();
        return turn;
    }
}
