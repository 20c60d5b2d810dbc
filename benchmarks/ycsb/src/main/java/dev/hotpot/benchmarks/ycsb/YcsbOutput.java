package dev.hotpot.benchmarks.ycsb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code site.ycsb.Client} JVM reported: the {@code [OVERALL]} figures, the figures of
 * each measured operation, and the lines that show an exception. Parsed from the text YCSB 0.17.0
 * prints with {@code measurementtype=hdrhistogram} and {@code hdrhistogram.percentiles=50,99}:
 *
 * <pre>
 * [OVERALL], RunTime(ms), 2345
 * [OVERALL], Throughput(ops/sec), 4264.3
 * [READ], Operations, 5012
 * [READ], AverageLatency(us), 41.2
 * [READ], 50thPercentileLatency(us), 35
 * [READ], 99thPercentileLatency(us), 120
 * [READ], Return=OK, 5012
 * [READ-FAILED], Operations, 3          (operations whose status was not OK)
 * </pre>
 *
 * @param runTimeMs    {@code [OVERALL] RunTime(ms)}: from before the client threads start (their
 *                     {@code init} included) to after the last one's {@code cleanup}; NaN if YCSB
 *                     did not print it
 * @param throughput   {@code [OVERALL] Throughput(ops/sec)}, or NaN if YCSB did not print it
 * @param operations   per measured name ({@code READ}, {@code READ-FAILED}, {@code READ-MODIFY-WRITE},
 *                     {@code CLEANUP}, ...), in the order YCSB printed them
 * @param exceptions   lines that name an exception or error, in order
 */
record YcsbOutput(double runTimeMs, double throughput, Map<String, OperationStats> operations,
                  List<String> exceptions) {
    /** The operation kinds a core workload issues, in the order the report shows them. */
    static final List<String> OPERATION_ORDER = List.of("READ", "UPDATE", "INSERT", "SCAN", "READ-MODIFY-WRITE", "DELETE");

    private static final Pattern MEASUREMENT = Pattern.compile("^\\[([A-Za-z0-9_-]+)], ([^,]+), (.+)$");
    private static final Pattern EXCEPTION = Pattern.compile(
            "(^|\\s|:)([A-Za-z_$][\\w$]*\\.)*[A-Za-z_$][\\w$]*(Exception|Error)(:|$|\\s)|^\\s*Caused by:");
    private static final int MAX_EXCEPTION_LINES = 20;

    YcsbOutput {
        operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        exceptions = List.copyOf(exceptions);
    }

    /**
     * The figures of one measured name.
     *
     * @param returns count per YCSB status name ({@code OK}, {@code NOT_FOUND}, {@code ERROR}, ...)
     */
    record OperationStats(String name, long count, double p50Us, double p99Us, Map<String, Long> returns) {
        OperationStats {
            returns = Collections.unmodifiableMap(new LinkedHashMap<>(returns));
        }

        long returned(String status) {
            return returns.getOrDefault(status, 0L);
        }

        /** Operations that returned neither OK nor NOT_FOUND. */
        long errors() {
            long errors = 0;
            for (Map.Entry<String, Long> r : returns.entrySet()) {
                if (!r.getKey().equals("OK") && !r.getKey().equals("NOT_FOUND")) {
                    errors += r.getValue();
                }
            }
            return errors;
        }
    }

    /** Parses the combined standard output and error of one YCSB client JVM. */
    static YcsbOutput parse(String text) {
        double runTimeMs = Double.NaN;
        double throughput = Double.NaN;
        Map<String, Builder> builders = new LinkedHashMap<>();
        List<String> exceptions = new ArrayList<>();
        for (String line : text.split("\\R")) {
            Matcher m = MEASUREMENT.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                String metric = m.group(2).trim();
                String value = m.group(3).trim();
                if (name.equals("OVERALL")) {
                    switch (metric) {
                        case "RunTime(ms)" -> runTimeMs = number(value);
                        case "Throughput(ops/sec)" -> throughput = number(value);
                        default -> {
                        }
                    }
                } else if (!name.startsWith("TOTAL_GC")) {
                    builders.computeIfAbsent(name, Builder::new).accept(metric, value);
                }
            } else if (exceptions.size() < MAX_EXCEPTION_LINES && EXCEPTION.matcher(line).find()) {
                exceptions.add(line.strip());
            }
        }
        Map<String, OperationStats> operations = new LinkedHashMap<>();
        builders.forEach((name, b) -> operations.put(name, b.build()));
        return new YcsbOutput(runTimeMs, throughput, operations, exceptions);
    }

    /** The figures of a measured name, or null if YCSB did not report it. */
    OperationStats operation(String name) {
        return operations.get(name);
    }

    /**
     * Operations the client finished, successful or not. A read-modify-write is measured three
     * times (its read, its update and itself), so it is counted once by subtracting its own count.
     */
    long completedOperations() {
        long completed = 0;
        for (String kind : OPERATION_ORDER) {
            long count = count(kind) + count(kind + "-FAILED");
            completed += kind.equals("READ-MODIFY-WRITE") ? -count : count;
        }
        return completed;
    }

    /** Operations that returned a status other than OK and NOT_FOUND, over all operation kinds. */
    long errors() {
        long errors = 0;
        for (OperationStats stats : operations.values()) {
            errors += stats.errors();
        }
        return errors;
    }

    /** Operations that returned NOT_FOUND, over all operation kinds. */
    long notFound() {
        long notFound = 0;
        for (OperationStats stats : operations.values()) {
            notFound += stats.returned("NOT_FOUND");
        }
        return notFound;
    }

    /** Counts per non-OK status over all operation kinds, for example {@code ERROR=3}. */
    Map<String, Long> failedReturns() {
        Map<String, Long> failed = new LinkedHashMap<>();
        for (OperationStats stats : operations.values()) {
            for (Map.Entry<String, Long> r : stats.returns().entrySet()) {
                if (!r.getKey().equals("OK")) {
                    failed.merge(stats.name() + " " + r.getKey(), r.getValue(), Long::sum);
                }
            }
        }
        return failed;
    }

    private long count(String name) {
        OperationStats stats = operations.get(name);
        return stats == null ? 0 : stats.count();
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final class Builder {
        private final String name;
        private long count;
        private double p50 = Double.NaN;
        private double p99 = Double.NaN;
        private final Map<String, Long> returns = new LinkedHashMap<>();

        Builder(String name) {
            this.name = name;
        }

        void accept(String metric, String value) {
            switch (metric) {
                case "Operations" -> count = (long) number(value);
                case "50thPercentileLatency(us)" -> p50 = number(value);
                case "99thPercentileLatency(us)" -> p99 = number(value);
                default -> {
                    if (metric.startsWith("Return=")) {
                        returns.merge(metric.substring("Return=".length()), (long) number(value), Long::sum);
                    }
                }
            }
        }

        OperationStats build() {
            return new OperationStats(name, count, p50, p99, returns);
        }
    }
}
