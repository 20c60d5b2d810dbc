package dev.hotpot.testing;

import java.util.Collection;

/**
 * Wraps the body of a test thread so that whatever it throws is kept for the test thread to
 * assert on, instead of ending up on stderr while the test passes.
 *
 * <p>Threading: the collection must be safe for the threads that add to it.
 */
public final class Capturing {
    private Capturing() {
    }

    public static Runnable failuresOf(Runnable body, Collection<Throwable> failures) {
        return () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        };
    }
}
