package dev.hotpot.tx;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which threads have a transaction open on one heap, answered on every heap load and store without
 * a {@link ThreadLocal} lookup: an open transaction sits in the slot of its thread's id, so the
 * common question "is this thread outside a transaction" costs one array load and one compare.
 * Two threads whose ids share a slot are both served: the second one's transaction is counted as
 * overflow and found through the thread-local, which only then is consulted.
 *
 * <p>Invariants: a slot holds a transaction only while it is open and its owner is the only thread
 * that sets or clears that entry; {@code overflow} counts the open transactions not in a slot. A
 * thread reads its own slot and its own overflow entry in program order, so plain reads answer
 * correctly for the calling thread, which is the only thread they answer for.
 *
 * <p>Threading: safe from any thread.
 */
final class OpenTransactions {
    private static final int SLOTS = 1 << 10;

    private final AtomicReferenceArray<Transaction> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicInteger overflow = new AtomicInteger();
    private final ThreadLocal<Transaction> perThread;

    OpenTransactions(java.util.function.Function<Thread, Transaction> factory) {
        this.perThread = ThreadLocal.withInitial(() -> factory.apply(Thread.currentThread()));
    }

    /** The calling thread's transaction object, open or not (made on first use). */
    Transaction mine() {
        return perThread.get();
    }

    /** The calling thread's open transaction, or null outside one. */
    Transaction current() {
        Thread thread = Thread.currentThread();
        Transaction tx = slots.getPlain(slotOf(thread));
        if (tx != null && tx.owner == thread) {
            return tx;
        }
        if (overflow.getPlain() == 0) {
            return null;
        }
        Transaction own = perThread.get();
        return own.isActive() ? own : null;
    }

    /** Registers {@code tx}, just opened by the calling thread. */
    void enter(Transaction tx) {
        tx.slotted = slots.compareAndSet(slotOf(tx.owner), null, tx);
        if (!tx.slotted) {
            overflow.incrementAndGet();
        }
    }

    /** Unregisters {@code tx}, ending on the calling thread. */
    void leave(Transaction tx) {
        if (tx.slotted) {
            slots.setRelease(slotOf(tx.owner), null);
        } else {
            overflow.decrementAndGet();
        }
    }

    private static int slotOf(Thread thread) {
        return (int) thread.threadId() & (SLOTS - 1);
    }
}
