package dev.hotpot.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A child JVM running a test main class on this test's class path. Its stdout lines are queued so
 * a test can wait for a handshake line with a deadline; the child's own watchdog ends it if the
 * parent forgets to.
 *
 * <p>Threading: one test thread drives it; a daemon thread pumps the child's output.
 */
public final class ChildJvm implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder transcript = new StringBuilder();

    private ChildJvm(Process process) {
        this.process = process;
        Thread pump = Thread.ofPlatform().daemon().name("child-output-" + process.pid()).start(this::pump);
        pump.setUncaughtExceptionHandler((t, e) -> lines.add(EOF));
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM on this JVM's class path. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return start(List.of(), System.getProperty("java.class.path"), mainClass.getName(), args);
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM with extra {@code jvmOptions} and {@code classPath}. */
    public static ChildJvm start(List<String> jvmOptions, String classPath, String mainClass, String... args)
            throws IOException {
        return start(List.of(), jvmOptions, classPath, mainClass, args);
    }

    /**
     * As {@link #start(List, String, String, String...)}, with the {@code java} command run by
     * {@code launcher} (such as {@code ip netns exec <name>}), which must exec it in place: the
     * child's pid is then the JVM's and a kill reaches it.
     */
    public static ChildJvm start(List<String> launcher, List<String> jvmOptions, String classPath, String mainClass,
                                 String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for a line starting with {@code prefix} and returns it; fails after {@code timeout}. */
    public String await(String prefix, Duration timeout) throws InterruptedException {
        return poll(line -> line.startsWith(prefix), prefix, timeout, line -> { });
    }

    /** Returns the lines printed before a line equal to {@code marker}; fails after {@code timeout}. */
    public List<String> linesUntil(String marker, Duration timeout) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        poll(marker::equals, marker, timeout, seen::add);
        return seen;
    }

    /**
     * Takes the child's next lines until one is {@code wanted} and returns it, passing each line
     * before it to {@code skipped}; fails, naming {@code awaited}, if the child exits or
     * {@code timeout} passes first.
     */
    private String poll(Predicate<String> wanted, String awaited, Duration timeout, Consumer<String> skipped)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("child " + process.pid() + " did not print '" + awaited + "' within " + timeout
                        + (line == null ? "" : " (it exited)") + "; output so far:\n" + transcript());
            }
            if (wanted.test(line)) {
                return line;
            }
            skipped.accept(line);
        }
    }

    /**
     * Asks the JVM to print a dump of its threads to its output (SIGQUIT), for a post-mortem of a
     * child that stopped answering; waits a moment for it to appear in the transcript.
     */
    public void dumpThreads() throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            return; // no kill command: the transcript stays as it is
        }
        Thread.sleep(1_000);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the child to end; whether it did. */
    public boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the child with SIGKILL and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " survived kill -9 for 30 s");
        }
    }

    /** Waits for a normal exit and returns its code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child " + process.pid() + " did not exit within " + timeout + "; output:\n" + transcript());
        }
        return process.exitValue();
    }

    /** Waits for a normal exit with code 0 and returns the transcript; fails with the transcript otherwise. */
    public String awaitSuccess(Duration timeout) throws InterruptedException {
        int code = awaitExit(timeout);
        String transcript = transcript();
        if (code != 0) {
            throw new AssertionError(transcript + " ==> expected: <0> but was: <" + code + ">");
        }
        return transcript;
    }

    public synchronized String transcript() {
        return transcript.toString();
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (this) {
                    transcript.append(line).append('\n');
                }
                lines.add(line);
            }
        } catch (IOException ignored) {
            // The child was killed while we read; its output ends here.
        } finally {
            lines.add(EOF);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** For child mains: exits the JVM after {@code limit} even if nobody kills it. */
    public static void selfDestructAfter(Duration limit) {
        Thread.ofPlatform().daemon().name("self-destruct").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("SELF-DESTRUCT after " + limit);
            Runtime.getRuntime().halt(3);
        });
    }
}
