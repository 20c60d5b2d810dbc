package dev.hotpot.benchmarks.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A results file in Markdown: a title, the machine and date, the command, then sections of text
 * and tables. Everything added is echoed to standard output as it comes, so a run that fails
 * midway still shows what it measured.
 *
 * <p>Threading: not thread-safe; the harness thread writes.
 */
final class Report {
    private final StringBuilder text = new StringBuilder();

    Report(String title, String command) {
        text.append("# ").append(title).append("\n\n");
        text.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        text.append("- Machine: ").append(machine()).append('\n');
        text.append("- Command: `").append(command).append("`\n\n");
        System.out.print(text);
    }

    /** CPU model, cores, memory, OS, JDK and the file system of {@code java.io.tmpdir}. */
    static String machine() {
        String cpu = "unknown CPU";
        long memoryMiB = -1;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // Not Linux: the model stays unknown.
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            memoryMiB = lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            // Not Linux.
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String fileSystem;
        try {
            var store = Files.getFileStore(tmp);
            fileSystem = store.type() + " (" + store.name() + ")";
        } catch (IOException e) {
            fileSystem = "unknown";
        }
        return String.format(Locale.ROOT, "%s, %d cores, %d MiB RAM, %s %s, JDK %s; java.io.tmpdir=%s on %s",
                cpu, Runtime.getRuntime().availableProcessors(), memoryMiB, System.getProperty("os.name"),
                System.getProperty("os.version"), Runtime.version(), tmp, fileSystem);
    }

    void heading(String heading) {
        add("## " + heading + "\n\n");
    }

    void paragraph(String paragraph) {
        add(paragraph + "\n\n");
    }

    /** A table; {@code rows} hold the cells of each row, as many as {@code header}. */
    void table(List<String> header, List<List<String>> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> t.append("---|"));
        t.append('\n');
        for (List<String> row : rows) {
            t.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        add(t.append('\n').toString());
    }

    private void add(String part) {
        text.append(part);
        System.out.print(part);
        System.out.flush();
    }

    /** Writes the whole report to {@code file}, creating its folder. */
    void write(Path file) {
        save(file, text.toString(), "results");
    }

    /** Writes {@code content} to {@code file}, creating its folder, and says so; {@code what} names it in messages. */
    static void save(Path file, String content, String what) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, content);
            System.out.println(what + " written to " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + what + " to " + file + ": " + e.getMessage(), e);
        }
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1_000.0);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1_000_000.0);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
