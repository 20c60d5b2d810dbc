package dev.hotpot.heap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock files this JVM holds an OS lock on: those of its open heaps and of the heaps it is
 * creating. On Linux a file lock is a POSIX record lock, which a process loses as soon as it
 * closes <em>any</em> channel on the file; so this JVM never opens a second channel on a lock file
 * listed here, and every opener of a lock file claims it here first.
 *
 * <p>Invariants: a path is listed from before its channel is opened until after it is closed.
 *
 * <p>Threading: safe from any thread.
 */
final class HeldLocks {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private HeldLocks() {
    }

    /**
     * Claims {@code lockFile} for this JVM: returns the key to release it with (its folder may be
     * renamed meanwhile), or null if this JVM already holds it.
     */
    static Path claim(Path lockFile) throws IOException {
        Path key = key(lockFile);
        return HELD.add(key) ? key : null;
    }

    static void release(Path key) {
        HELD.remove(key);
    }

    /** The lock file's folder resolved to its real path, so two names of one folder are one key. */
    private static Path key(Path lockFile) throws IOException {
        return lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
    }
}
