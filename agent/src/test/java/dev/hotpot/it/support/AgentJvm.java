package dev.hotpot.it.support;

import dev.hotpot.testing.ChildJvm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Child JVMs that run with the built agent jar, as a user's application would: only the agent
 * jar (on the command line) and the application's classes.
 */
public final class AgentJvm {
    private AgentJvm() {
    }

    /** The built agent jar (set by the build for integration tests). */
    public static Path agentJar() {
        String jar = System.getProperty("hotpot.agent.jar");
        if (jar == null) {
            throw new IllegalStateException("system property hotpot.agent.jar is not set; run the tests with Maven (failsafe)");
        }
        return Path.of(jar);
    }

    /**
     * Starts {@code mainClass} of {@code classPath} with {@code -javaagent:hotpot.jar=agentArguments}.
     * The class path also gets the test helpers (for the child's self-destruct timer).
     */
    public static ChildJvm start(String agentArguments, String classPath, String mainClass, String... args) throws IOException {
        return start(List.of(), agentArguments, classPath, mainClass, args);
    }

    /** As {@link #start(String, String, String, String...)}, with extra JVM options first. */
    public static ChildJvm start(List<String> jvmOptions, String agentArguments, String classPath, String mainClass,
                                 String... args) throws IOException {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-javaagent:" + agentJar() + (agentArguments.isEmpty() ? "" : "=" + agentArguments));
        return ChildJvm.start(options, classPath + File.pathSeparator + testHelpers(), mainClass, args);
    }

    /** Starts a main class of the agent's own test classes. */
    public static ChildJvm start(String agentArguments, Class<?> mainClass, String... args) throws IOException {
        return start(agentArguments, System.getProperty("hotpot.test.classes"), mainClass.getName(), args);
    }

    /**
     * The entries of this JVM's class path, in order, whose path with {@code /} as separator
     * (also on Windows) matches {@code wanted}.
     */
    public static List<String> classPathEntries(Predicate<String> wanted) {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (wanted.test(entry.replace('\\', '/'))) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** The runtime's test-jar entry of this JVM's class path (child JVM and timing helpers). */
    private static String testHelpers() {
        return classPathEntries(path -> path.contains("hotpot-runtime") && path.endsWith("-tests.jar")
                || path.endsWith("runtime/target/test-classes")).stream().findFirst().orElseThrow(() ->
                new IllegalStateException("the runtime test helpers are not on the class path: " + System.getProperty("java.class.path")));
    }
}
