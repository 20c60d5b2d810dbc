package dev.hotpot.tx;

import java.util.concurrent.locks.LockSupport;

/** How a thread waits for a page lock that another thread holds while it appends and applies one record. */
final class Spin {
    static final int SPINS_BEFORE_PARK = 128;

    private Spin() {
    }

    /** Busy-spins first, then yields, then parks briefly; {@code spins} counts the calls so far. */
    static void pause(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else if (spins < SPINS_BEFORE_PARK) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(20_000);
        }
    }
}
