package dev.hotpot.agent;

import dev.hotpot.HotpotSettings;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point: {@code java -javaagent:hotpot.jar[=dir=...,heap=...,size=...,durability=...]}.
 * Arguments become {@code hotpot.*} system properties (an argument wins over a property set on the
 * command line); the heap itself opens when the first persistent class is used.
 *
 * <p>Classes already loaded when the agent starts (when it is attached to a running JVM) are
 * handled by {@link LoadedBeforeAgent}.
 */
public final class HotpotAgent {
    private HotpotAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        install(arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        install(arguments, instrumentation);
    }

    private static synchronized void install(String arguments, Instrumentation instrumentation) {
        System.setProperty("net.bytebuddy.safe", "true");
        applyArguments(arguments);
        String location = HotpotAgent.class.getProtectionDomain().getCodeSource().getLocation().toString();
        PersistenceTransformer transformer = new PersistenceTransformer(location);
        // Load the rewriting machinery now, so its own class loading never runs inside a transform.
        transformer.rewrite(HotpotAgent.class.getClassLoader(), "dev/hotpot/agent/Warmup", Warmup.classFile());
        instrumentation.addTransformer(transformer, true);
        LoadedBeforeAgent.handle(instrumentation, transformer, location);
    }

    /** Applies {@code key=value,key=value} agent arguments as {@code hotpot.key} system properties. */
    static void applyArguments(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return;
        }
        for (String pair : arguments.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            if (eq < 0 || !HotpotSettings.NAMES.contains(key)) {
                throw new IllegalArgumentException("hotpot agent: argument '" + pair + "' is not one of "
                        + String.join(", ", HotpotSettings.NAMES.stream().map(n -> n + "=...").toList())
                        + "; example: -javaagent:hotpot.jar=dir=data,heap=bank,durability=sync");
            }
            System.setProperty(HotpotSettings.PREFIX + key, pair.substring(eq + 1).trim());
        }
    }
}
