package dev.hotpot.testing;

import dev.hotpot.Durability;
import dev.hotpot.Hotpot;
import dev.hotpot.HotpotSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points the process-wide default heap at a fresh folder under {@code target/} before anything
 * opens it, so tests of the persistent collections never touch a developer's data. The heap is
 * small, so tests that free memory can prove it is reused, and not forced to disk, for speed.
 * {@link #configure} sets the same properties for callers that choose their own folder (child
 * JVMs, the agent's tests).
 *
 * <p>Threading: {@link #ensureOpen} and {@link #configure} are safe from any thread.
 */
public final class DefaultHeapForTests {
    /** Size of the default heap in tests; a test that fills more than this proves freed space is reused. */
    public static final long HEAP_BYTES = 16L << 20;

    private static Path directory;

    private DefaultHeapForTests() {
    }

    /** Opens the default heap in a fresh folder once per JVM; call it from {@code @BeforeAll}. */
    public static synchronized void ensureOpen() {
        if (directory != null) {
            return;
        }
        try {
            Path target = Files.createDirectories(Path.of("target"));
            directory = Files.createTempDirectory(target, "default-heap-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the default test heap under target/", e);
        }
        configure(directory, null, HEAP_BYTES, Durability.NONE);
        Path opened = Hotpot.heap().config().directory();
        if (!opened.equals(directory)) {
            throw new IllegalStateException("the default heap was opened in directory=" + opened + " before the tests"
                    + " could point it at " + directory + "; call DefaultHeapForTests.ensureOpen() before any other"
                    + " use of Hotpot in this JVM");
        }
    }

    /**
     * Sets the system properties of the default heap: its folder, its size, and, unless null, its
     * name and durability (a null one is left as it is, normally unset, so the default applies).
     * Takes effect only if called before anything in this JVM opens the default heap.
     */
    public static void configure(Path directory, String heapName, long sizeBytes, Durability durability) {
        System.setProperty(HotpotSettings.PREFIX + HotpotSettings.DIR, directory.toString());
        if (heapName != null) {
            System.setProperty(HotpotSettings.PREFIX + HotpotSettings.HEAP, heapName);
        }
        System.setProperty(HotpotSettings.PREFIX + HotpotSettings.SIZE, Long.toString(sizeBytes));
        if (durability != null) {
            System.setProperty(HotpotSettings.PREFIX + HotpotSettings.DURABILITY, durability.name());
        }
    }
}
