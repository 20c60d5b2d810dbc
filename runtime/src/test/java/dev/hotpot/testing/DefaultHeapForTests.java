package dev.hotpot.testing;

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
 *
 * <p>Threading: {@link #ensureOpen} is safe from any thread.
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
        System.setProperty(HotpotSettings.PREFIX + HotpotSettings.DIR, directory.toString());
        System.setProperty(HotpotSettings.PREFIX + HotpotSettings.SIZE, Long.toString(HEAP_BYTES));
        System.setProperty(HotpotSettings.PREFIX + HotpotSettings.DURABILITY, "none");
        Path opened = Hotpot.heap().config().directory();
        if (!opened.equals(directory)) {
            throw new IllegalStateException("the default heap was opened in directory=" + opened + " before the tests"
                    + " could point it at " + directory + "; call DefaultHeapForTests.ensureOpen() before any other"
                    + " use of Hotpot in this JVM");
        }
    }
}
