package dev.hotpot.benchmarks.cluster;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that speaks the line protocol of {@link BenchNode} (and {@link EchoServer}): lines it
 * prints that start with {@code @} are answers, queued for {@link #awaitAnswer}; every line it
 * prints, and its standard error, is appended to its log file.
 *
 * <p>Threading: one harness thread drives each instance (one command outstanding at a time); a
 * daemon thread pumps the child's output.
 */
final class NodeProcess implements AutoCloseable {
    /** The JVM options every child gets: the heap maps memory and uses sun.misc.Unsafe. */
    static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xmx1g");
    private static final String ENDED = "\u0000ENDED";

    private final String label;
    private final Process process;
    private final Path log;
    private final PrintStream commands;
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private long lastId;

    private NodeProcess(String label, Process process, Path log) throws IOException {
        this.label = label;
        this.process = process;
        this.log = log;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        OutputStream transcript = new FileOutputStream(log.toFile(), true);
        Thread.ofPlatform().daemon().name("output-" + label).start(() -> pump(transcript));
    }

    /** Starts {@code mainClass} with {@code args} on this JVM's class path, with {@link #JVM_OPTIONS} and {@code options}. */
    static NodeProcess start(String label, List<String> options, Class<?> mainClass, List<String> args, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this process")));
        command.addAll(JVM_OPTIONS);
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new NodeProcess(label, process, log);
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, or -1 while it runs. */
    int exitStatus() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Sends one command line and returns the id its answer will carry. */
    long send(String command) {
        long id = ++lastId;
        commands.println(id + " " + command);
        if (commands.checkError()) {
            throw new NodeFailedException(label + " did not take command '" + command + "': its input is closed"
                    + exitText() + "; log " + log);
        }
        return id;
    }

    /** Sends {@code command} and returns the fields of its {@code @ok} answer. */
    Map<String, String> request(String command, Duration timeout) {
        return awaitAnswer(send(command), command, timeout);
    }

    /**
     * The fields of the answer to command {@code id}, which must be {@code @ok}; fails on
     * {@code @error}, on exit and after {@code timeout}, naming {@code what}. Answers to earlier
     * commands that were given up on are skipped.
     */
    Map<String, String> awaitAnswer(long id, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = nextAnswer(what, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            Map<String, String> fields = fields(line);
            if (!Long.toString(id).equals(fields.get("id"))) {
                continue;
            }
            if (line.startsWith("@error")) {
                throw new NodeFailedException(label + " failed '" + what + "': "
                        + line.substring(line.indexOf(' ') + 1).trim() + "; log " + log);
            }
            return fields;
        }
    }

    /** The next answer line, whatever it is; for the {@code @ready} line of a start. */
    String nextAnswer(String what, Duration timeout) {
        try {
            String line = answers.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new NodeFailedException(label + " did not answer '" + what + "' within " + timeout.toSeconds()
                        + " s" + exitText() + "; log " + log);
            }
            if (line.equals(ENDED)) {
                answers.add(ENDED);
                waitForExit();
                throw new NodeFailedException(label + " ended before it answered '" + what + "'" + exitText()
                        + "; log " + log);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeFailedException(label + ": interrupted while waiting for '" + what + "'");
        }
    }

    /** The {@code key=value} words of an answer line. */
    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                fields.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        return fields;
    }

    /** Kills the JVM with SIGKILL and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new NodeFailedException(label + " (pid " + process.pid() + ") still runs 30 s after it was killed"
                        + " or its output ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String exitText() {
        return process.isAlive() ? " (pid " + process.pid() + " still runs)"
                : " (exited with status " + process.exitValue() + ")";
    }

    private void pump(OutputStream transcript) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             transcript) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                transcript.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (line.startsWith("@")) {
                    answers.add(line);
                }
            }
        } catch (IOException e) {
            // The child was killed while we read: its output ends here.
        } finally {
            answers.add(ENDED);
        }
    }

    /** Kills the JVM if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        commands.close();
    }

    /** A child that answered with an error, exited, or did not answer in time. */
    static final class NodeFailedException extends RuntimeException {
        NodeFailedException(String message) {
            super(message);
        }
    }
}
