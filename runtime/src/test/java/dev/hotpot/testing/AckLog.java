package dev.hotpot.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A crash-test child's record of returned commits: one "t k" line appended (unbuffered) after
 * transaction k of thread t returned. Read back with {@link CrashExpectations#readAcks}.
 *
 * <p>Threading: safe from any thread.
 */
public final class AckLog implements AutoCloseable {
    private final FileOutputStream out;

    public AckLog(Path file) throws IOException {
        this.out = new FileOutputStream(file.toFile(), true);
    }

    public synchronized void acknowledge(int thread, long k) {
        try {
            out.write((thread + " " + k + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
