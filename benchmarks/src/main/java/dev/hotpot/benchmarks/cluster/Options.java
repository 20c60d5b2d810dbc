package dev.hotpot.benchmarks.cluster;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command-line options of a harness: {@code --name value} pairs, each with a default, and the
 * node settings {@code --lease}, {@code --backup-timeout} and {@code --commit-timeout}, passed on
 * to every node as {@code hotpot.lease} and so on.
 *
 * <p>Threading: immutable after parsing.
 */
final class Options {
    private static final Map<String, String> NODE_SETTINGS = Map.of(
            "lease", "lease", "backup-timeout", "backupTimeout", "commit-timeout", "commitTimeout");

    private final Map<String, String> values = new HashMap<>();
    private final String command;

    private Options(String command) {
        this.command = command;
    }

    /** Parses {@code args}; any option not in {@code known} (or the node settings) is refused. */
    static Options parse(Class<?> harness, String[] args, Set<String> known) {
        StringBuilder command = new StringBuilder("java --enable-native-access=ALL-UNNAMED"
                + " --sun-misc-unsafe-memory-access=allow -cp benchmarks/target/benchmarks.jar " + harness.getName());
        for (String arg : args) {
            command.append(' ').append(arg);
        }
        Options options = new Options(command.toString());
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || i + 1 >= args.length || !(known.contains(name) || NODE_SETTINGS.containsKey(name))) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: --"
                        + String.join(" --", known) + " --" + String.join(" --", NODE_SETTINGS.keySet()));
            }
            options.values.put(name, args[++i]);
        }
        return options;
    }

    String command() {
        return command;
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    Path path(String name, String fallback) {
        return Path.of(values.getOrDefault(name, fallback));
    }

    /** The node settings given, by their {@code hotpot.*} name without the prefix. */
    Map<String, String> nodeSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        NODE_SETTINGS.forEach((option, setting) -> {
            if (values.containsKey(option)) {
                settings.put(setting, values.get(option));
            }
        });
        return settings;
    }

    /** The node settings as text for a report: "defaults" when none was given. */
    String nodeSettingsText() {
        Map<String, String> settings = nodeSettings();
        return settings.isEmpty() ? "defaults (lease 1500 ms, backupTimeout 1 s, commitTimeout 10 s)"
                : settings.toString() + " (the others default)";
    }
}
