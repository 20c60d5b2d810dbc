package dev.hotpot.it;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field kind, reference shape and collection written by one JVM is read back by the next. */
class RestartIT {
    @TempDir
    Path dir;

    @Test
    void everythingRoundTripsThroughARestart() throws Exception {
        String arguments = "dir=" + dir + ",heap=roundtrip,size=8m";
        try (ChildJvm writer = AgentJvm.start(arguments, RoundTrip.class, "write")) {
            assertEquals(0, writer.awaitExit(Duration.ofSeconds(60)), writer.transcript());
            assertTrue(writer.transcript().contains("WRITTEN"), writer.transcript());
        }
        for (int restart = 0; restart < 2; restart++) {
            try (ChildJvm reader = AgentJvm.start(arguments, RoundTrip.class, "verify")) {
                assertEquals(0, reader.awaitExit(Duration.ofSeconds(60)), reader.transcript());
                assertTrue(reader.transcript().contains("VERIFIED"), reader.transcript());
            }
        }
    }
}
