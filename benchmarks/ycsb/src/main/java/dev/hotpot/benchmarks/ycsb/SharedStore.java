package dev.hotpot.benchmarks.ycsb;

import site.ycsb.DBException;

/**
 * One store shared by the YCSB clients of a JVM, with a reference count: the first
 * {@link #acquire} opens it and the last {@link #release} closes it. YCSB makes a client per
 * thread and calls {@code init} and {@code cleanup} on each, so a binding whose store allows one
 * opener per process (RocksDB, MVStore) counts its clients here, as YCSB's own bindings do.
 *
 * <p>Invariants: the store is open exactly while the count is above zero.
 *
 * <p>Threading: safe from any thread; opening and closing run under this object's lock, so a
 * client that acquires while the last one releases waits and then opens the store again.
 *
 * @param <T> what the binding keeps of an open store
 */
final class SharedStore<T> {
    /** Opens the store; called by the first client. */
    interface Opener<T> {
        T open() throws DBException;
    }

    /** Closes the store; called by the last client, after every other client has released it. */
    interface Closer<T> {
        void close(T store) throws DBException;
    }

    private T store;
    private int clients;

    /** The open store, opened with {@code opener} if no client holds it; count one more client. */
    synchronized T acquire(Opener<T> opener) throws DBException {
        if (clients == 0) {
            store = opener.open();
        }
        clients++;
        return store;
    }

    /**
     * Counts one client less and, for the last one, closes the store with {@code closer}; the store
     * counts as closed even if {@code closer} fails.
     *
     * @throws IllegalStateException if no client holds the store
     */
    synchronized void release(Closer<T> closer) throws DBException {
        if (clients == 0) {
            throw new IllegalStateException("release without acquire: no client holds the store");
        }
        if (--clients == 0) {
            T closing = store;
            store = null;
            closer.close(closing);
        }
    }
}
