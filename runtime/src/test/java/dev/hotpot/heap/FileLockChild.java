package dev.hotpot.heap;

import dev.hotpot.testing.ChildJvm;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Child JVM that shows what another process sees of a lock file. Arguments: file mode. With
 * {@code hold} it locks the file, prints {@code LOCKED} and keeps the lock until killed; with
 * {@code try} it prints {@code LOCKED} or {@code REFUSED} and exits.
 */
public final class FileLockChild {
    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            boolean hold = args[1].equals("hold");
            FileLock lock = hold ? channel.lock() : channel.tryLock();
            System.out.println(lock == null ? "REFUSED" : "LOCKED");
            System.out.flush();
            if (hold) {
                Thread.sleep(Duration.ofSeconds(60));
            }
        }
    }
}
