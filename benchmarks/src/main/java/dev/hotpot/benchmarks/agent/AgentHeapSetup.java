package dev.hotpot.benchmarks.agent;

import dev.hotpot.Hotpot;
import dev.hotpot.benchmarks.ScratchDirectory;
import dev.hotpot.object.PersistentObject;

import java.nio.file.Path;

/**
 * Points the default heap of a benchmark fork (which runs with {@code -javaagent:hotpot.jar}) at a
 * fresh folder under {@code java.io.tmpdir} with the given durability, before anything opens it,
 * and checks that the agent is really there.
 *
 * <p>Threading: call from a {@code @Setup} method, before any persistent object exists.
 */
final class AgentHeapSetup {
    /** What forks of agent benchmarks add to the JVM command line; JMH runs from the project root. */
    static final String AGENT = "-javaagent:agent/target/hotpot.jar";

    private AgentHeapSetup() {
    }

    static void open(String durability) {
        Path dir = ScratchDirectory.create("hotpot-agent-bench-");
        System.setProperty("hotpot.dir", dir.toString());
        System.setProperty("hotpot.durability", durability);
        Hotpot.heap();
        if (!PersistentObject.class.isAssignableFrom(PersistentAccount.class)) {
            throw new IllegalStateException("the fork runs without the hotpot agent: run JMH from the project root,"
                    + " after building agent/target/hotpot.jar");
        }
    }
}
