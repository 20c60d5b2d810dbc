package dev.hotpot.it.support;

import dev.hotpot.Hotpot;
import dev.hotpot.testing.DefaultHeapForTests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default heap of a test JVM that runs with the agent: a fresh folder per JVM under the
 * build's {@code target} folder, set before anything opens the heap. Test classes call
 * {@link #ensureOpen()} first and use root names of their own.
 */
public final class AgentHeap {
    private static Path directory;

    private AgentHeap() {
    }

    public static synchronized Path ensureOpen() {
        if (directory == null) {
            try {
                Path target = Path.of(System.getProperty("hotpot.test.classes", "target/test-classes")).getParent();
                directory = Files.createTempDirectory(Files.createDirectories(target.resolve("it-heaps")), "heap-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DefaultHeapForTests.configure(directory, "it", 64L << 20, null);
            Hotpot.heap();
        }
        return directory;
    }
}
