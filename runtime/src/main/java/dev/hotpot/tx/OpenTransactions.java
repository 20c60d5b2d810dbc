package dev.hotpot.tx;

/**
 * Which thread has a transaction open on one heap, answered on every heap load and store. A
 * transaction's body runs with one process-wide {@link ScopedValue} bound to it, so the common
 * question "is this thread outside every transaction" is an unbound check of a constant scoped
 * value, which the JIT answers from the thread's binding mask without the hash probe and
 * weak-reference load of a {@link ThreadLocal} ({@code TransactionLookupBenchmark} has the
 * figures). The thread-local serves to reuse each thread's transaction object, once per
 * transaction, and to find the open transaction of this heap when the innermost bound one belongs
 * to another heap (a body of one heap's transaction that runs one on another heap).
 *
 * <p>Invariants: the scoped value is bound to the innermost open outermost-transaction of the
 * thread, on whichever heap, exactly while its body runs. Threads forked in a structured task
 * scope inherit the binding, so a bound transaction counts only on the thread that owns it.
 *
 * <p>Threading: safe from any thread.
 */
final class OpenTransactions {
    /**
     * Bound to a {@link Transaction} while its body runs ({@link TransactionManager}); typed wider
     * so that one lookup, {@code BOUND.orElse(UNBOUND)}, tells whether and which. Hot paths make
     * that lookup themselves: each call level saved keeps the JIT from reaching its inlining depth
     * limit inside a transaction body.
     */
    static final ScopedValue<Object> BOUND = ScopedValue.newInstance();
    static final Object UNBOUND = new Object();

    private final ThreadLocal<Transaction> perThread;

    private final TransactionManager manager;

    OpenTransactions(TransactionManager manager) {
        this.manager = manager;
        this.perThread = ThreadLocal.withInitial(() -> new Transaction(manager));
    }

    /** The calling thread's transaction object, open or not (made on first use). */
    Transaction mine() {
        return perThread.get();
    }

    /** The calling thread's open transaction, or null outside one. */
    Transaction current() {
        Object bound = BOUND.orElse(UNBOUND);
        return bound == UNBOUND ? null : current((Transaction) bound);
    }

    /** The calling thread's open transaction given the innermost one bound, on any heap; or null. */
    Transaction current(Transaction innermost) {
        if (innermost.manager() == manager && innermost.owner == Thread.currentThread()) {
            return innermost;
        }
        Transaction own = perThread.get();
        return own.isActive() ? own : null;
    }
}
