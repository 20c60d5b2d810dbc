package dev.hotpot.offline;

import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each offline command refuses, with exit code 2 and one line naming the file and the reason, a
 * heap that is missing, open in another process, or whose header is damaged; and creates nothing.
 */
class OfflineCommandErrorsTest {
    private static final List<String> COMMANDS = List.of("verify", "gc", "stats");

    @TempDir
    Path dir;

    @Test
    void aMissingHeapIsRefusedNamingItsFolder() {
        Path missing = dir.resolve("missing");
        for (String command : COMMANDS) {
            assertRefused(command, missing, "no heap at directory=" + missing);
            assertFalse(missing.toFile().exists(), command + " created the heap");
        }
    }

    @Test
    void aHeapOpenInAnotherProcessIsRefusedNamingItsFolder() throws Exception {
        Path heap = SampleHeaps.copyOfSamples(dir);
        try (ChildJvm holder = ChildJvm.start(SampleHeapWriter.class, dir.toString(), SampleHeaps.NAME, "hold")) {
            holder.await("OPEN", Duration.ofSeconds(60));
            for (String command : COMMANDS) {
                assertRefused(command, heap, "heap is already open: directory=" + heap);
            }
        }
    }

    @Test
    void aDamagedHeaderIsRefusedNamingTheImageFile() throws IOException {
        Path heap = SampleHeaps.copyOfSamples(dir);
        try (FileChannel image = FileChannel.open(heap.resolve("heap.img"), StandardOpenOption.WRITE)) {
            image.write(ByteBuffer.wrap(new byte[8]), 0);
            image.write(ByteBuffer.wrap(new byte[8]), 2048);
        }
        for (String command : COMMANDS) {
            assertRefused(command, heap, "not a Hotpot heap (no header magic): file=" + heap.resolve("heap.img"));
        }
    }

    private static void assertRefused(String command, Path heap, String reason) {
        Commands run = Commands.run(command, heap);
        assertEquals(2, run.exitCode(), () -> command + ": " + run);
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), () -> command + " printed more than one line: " + run);
        assertTrue(lines.getFirst().startsWith("hotpot: ") && lines.getFirst().contains(reason),
                () -> command + " did not say '" + reason + "': " + run);
    }
}
