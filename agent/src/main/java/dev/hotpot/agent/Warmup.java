package dev.hotpot.agent;

import dev.hotpot.Transactional;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A class the agent rewrites once at start-up and throws away, so every class of the rewriting
 * path is loaded before the transformer is installed (a transformer must not trigger loading of
 * its own classes while it runs).
 */
final class Warmup {
    private int counter;

    @Transactional
    int next() {
        return ++counter;
    }

    static byte[] classFile() {
        try (InputStream in = Warmup.class.getResourceAsStream("Warmup.class")) {
            if (in == null) {
                throw new IllegalStateException("the agent jar lacks dev/hotpot/agent/Warmup.class");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
