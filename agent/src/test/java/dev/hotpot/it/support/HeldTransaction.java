package dev.hotpot.it.support;

import dev.hotpot.Hotpot;

import java.util.concurrent.CountDownLatch;

/**
 * A transaction on another thread that does its writes, then stays open (its writes private, its
 * new classes and objects pending) until {@link #close()}, which lets it commit and waits for it.
 *
 * <p>Threading: one test thread starts and closes it.
 */
public final class HeldTransaction implements AutoCloseable {
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;

    private HeldTransaction(Runnable writes) {
        thread = Thread.ofPlatform().start(() -> Hotpot.transaction(() -> {
            writes.run();
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** Starts the transaction and returns once {@code writes} ran in it. */
    public static HeldTransaction start(Runnable writes) throws InterruptedException {
        HeldTransaction held = new HeldTransaction(writes);
        held.holding.await();
        return held;
    }

    /** Lets the transaction commit and waits for its thread. */
    @Override
    public void close() throws InterruptedException {
        release.countDown();
        thread.join();
    }
}
