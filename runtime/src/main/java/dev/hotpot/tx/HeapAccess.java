package dev.hotpot.tx;

/**
 * Loads and stores of raw bits in one heap: inside the calling thread's transaction if one is
 * open, else a load returns one committed value and a store commits on its own
 * ({@link TransactionManager#read}, {@link TransactionManager#write}).
 *
 * <p>Hold it in a {@code static final} field where one heap serves a whole process, as the agent's
 * runtime does: the JIT then folds the heap's working copy, page versions and settings into
 * constants, and a load outside a transaction compiles to a binding check, one version load and
 * the load itself.
 *
 * <p>Threading: safe from any thread.
 */
public sealed interface HeapAccess permits WorkingCopyAccess {
    /** {@code size} (1, 2, 4 or 8) bytes at {@code address} as raw bits, sign-extended. */
    long read(long address, int size);

    /** Writes the low {@code size} bytes of {@code bits} at {@code address}. */
    void write(long address, int size, long bits);
}
