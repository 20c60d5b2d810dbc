package dev.hotpot.it;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field kind, reference shape and collection written by one JVM is read back by the next. */
class RestartIT {
    @TempDir
    Path dir;

    @Test
    void everythingRoundTripsThroughARestart() throws Exception {
        String arguments = "dir=" + dir + ",heap=roundtrip,size=8m";
        try (ChildJvm writer = AgentJvm.start(arguments, RoundTrip.class, "write")) {
            writer.awaitSuccess(Duration.ofSeconds(60));
            assertTrue(writer.transcript().contains("WRITTEN"), writer.transcript());
        }
        for (int restart = 0; restart < 2; restart++) {
            try (ChildJvm reader = AgentJvm.start(arguments, RoundTrip.class, "verify")) {
                reader.awaitSuccess(Duration.ofSeconds(60));
                assertTrue(reader.transcript().contains("VERIFIED"), reader.transcript());
            }
        }
        try (ChildJvm inspect = ChildJvm.start(List.of(), AgentJvm.agentJar().toString(), "dev.hotpot.cli.HotpotCommand",
                "inspect", "roundtrip", "--dir", dir.toString())) {
            String out = inspect.awaitSuccess(Duration.ofSeconds(60));
            assertTrue(out.contains("root chain") && out.contains("root catalog"), out);
            assertTrue(out.contains("class dev.hotpot.it.model.Everything id=") && out.contains("objects=5"),
                    "the command line counts the stored objects of each class: " + out);
        }
    }
}
