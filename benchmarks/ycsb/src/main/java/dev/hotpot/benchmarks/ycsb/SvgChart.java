package dev.hotpot.benchmarks.ycsb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code chart.svg} by hand: per thread count a panel of throughput bars grouped by
 * workload, one bar per system; then per thread count a panel of latency with the p50 as a bar and
 * the p99 as a whisker above it, grouped by workload and operation kind. Both use a log scale,
 * since the systems differ by orders of magnitude. A run that failed is drawn with a red outline,
 * a missing figure as a red cross on the axis. Each bar has a tooltip with its exact value.
 *
 * <p>Threading: stateless.
 */
final class SvgChart {
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int MIN_WIDTH = 820;
    private static final int BAR = 14;
    private static final int GROUP_GAP = 22;
    private static final int PANEL_HEIGHT = 260;
    private static final int PANEL_TOP = 40;
    private static final int PANEL_BOTTOM = 50;
    private static final int LEGEND_HEIGHT = 60;

    private SvgChart() {
    }

    /** A group of bars: its label on the x axis and one value (and whisker) per system. */
    private record Group(String label, double[] values, double[] whiskers, boolean[] failed) {
    }

    static String render(Setup setup, List<RunResult> results) {
        List<StoreSystem> systems = MarkdownReport.systems(results);
        List<String> workloads = MarkdownReport.workloads(results);
        List<Integer> threadCounts = setup.threads();

        List<List<Group>> panels = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<String> units = new ArrayList<>();
        for (int t : threadCounts) {
            List<Group> groups = new ArrayList<>();
            for (String workload : workloads) {
                double[] values = new double[systems.size()];
                boolean[] failed = new boolean[systems.size()];
                for (int s = 0; s < systems.size(); s++) {
                    RunResult r = MarkdownReport.find(results, workload, t, systems.get(s));
                    values[s] = r == null ? Double.NaN : r.throughput();
                    failed[s] = r != null && r.failed();
                }
                groups.add(new Group(workload.toUpperCase(Locale.ROOT), values, null, failed));
            }
            panels.add(groups);
            titles.add("Throughput, " + threads(t) + " (ops/s, log scale, higher is better)");
            units.add("ops/s");
        }
        for (int t : threadCounts) {
            List<Group> groups = new ArrayList<>();
            for (String workload : workloads) {
                List<RunResult> rows = results.stream().filter(r -> r.workload().equals(workload) && r.threads() == t).toList();
                for (String kind : MarkdownReport.kinds(rows)) {
                    double[] p50 = new double[systems.size()];
                    double[] p99 = new double[systems.size()];
                    boolean[] failed = new boolean[systems.size()];
                    for (int s = 0; s < systems.size(); s++) {
                        RunResult r = MarkdownReport.find(results, workload, t, systems.get(s));
                        YcsbOutput.OperationStats stats = r == null ? null : r.operation(kind);
                        p50[s] = stats == null || stats.count() == 0 ? Double.NaN : stats.p50Us();
                        p99[s] = stats == null || stats.count() == 0 ? Double.NaN : stats.p99Us();
                        failed[s] = r != null && r.failed();
                    }
                    groups.add(new Group(workload.toUpperCase(Locale.ROOT) + " " + shortKind(kind), p50, p99, failed));
                }
            }
            panels.add(groups);
            titles.add("Latency, " + threads(t) + " (µs, log scale, lower is better): bar p50, whisker p99");
            units.add("µs");
        }

        int groupWidth = systems.size() * BAR + GROUP_GAP;
        int maxGroups = 1;
        for (List<Group> groups : panels) {
            maxGroups = Math.max(maxGroups, groups.size());
        }
        int width = Math.max(MIN_WIDTH, LEFT + maxGroups * groupWidth + RIGHT);
        int panelSpan = PANEL_TOP + PANEL_HEIGHT + PANEL_BOTTOM;
        int height = LEGEND_HEIGHT + panels.size() * panelSpan;

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape("YCSB" + (setup.cluster() ? " on " + setup.clusterNodes() + "-node clusters" : "") + ": "
                        + setup.records() + " records, " + setup.seconds() + " s per run, " + setup.cores()
                        + " cores, " + setup.fileSystem())));
        int x = LEFT;
        for (int s = 0; s < systems.size(); s++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"42\">%s</text>%n", x, color(systems.get(s)), x + 16, escape(systems.get(s).id)));
            x += 24 + 7 * systems.get(s).id.length();
        }
        for (int p = 0; p < panels.size(); p++) {
            panel(svg, LEGEND_HEIGHT + p * panelSpan, titles.get(p), units.get(p), panels.get(p), systems,
                    width - LEFT - RIGHT);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, int top, String title, String unit, List<Group> groups,
                              List<StoreSystem> systems, int plotWidth) {
        int groupWidth = plotWidth / Math.max(1, groups.size());
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Group g : groups) {
            for (int s = 0; s < systems.size(); s++) {
                for (double v : new double[] {g.values()[s], g.whiskers() == null ? Double.NaN : g.whiskers()[s]}) {
                    if (v > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        if (max == 0) {
            min = 1;
            max = 10;
        }
        int lowExp = (int) Math.floor(Math.log10(Math.max(min, 1)));
        int highExp = Math.max(lowExp + 1, (int) Math.ceil(Math.log10(max)));
        int axisTop = top + PANEL_TOP;
        int axisBottom = axisTop + PANEL_HEIGHT;
        int right = LEFT + plotWidth;

        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                LEFT, top + 24, escape(title)));
        for (int e = lowExp; e <= highExp; e++) {
            double y = y(Math.pow(10, e), lowExp, highExp, axisTop, axisBottom);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, right, y, LEFT - 6, y + 4, escape(power(e) + " " + unit)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, axisBottom, right, axisBottom));
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            int gx = LEFT + gi * groupWidth + (groupWidth - systems.size() * BAR) / 2;
            for (int s = 0; s < systems.size(); s++) {
                int bx = gx + s * BAR;
                double v = g.values()[s];
                String name = systems.get(s).id + ", " + g.label();
                if (!(v > 0)) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"red\" text-anchor=\"middle\">×"
                            + "<title>%s: no figure</title></text>%n", bx + BAR / 2, axisBottom - 3, escape(name)));
                    continue;
                }
                double y = y(v, lowExp, highExp, axisTop, axisBottom);
                String tip = g.whiskers() == null
                        ? String.format(Locale.ROOT, "%s: %,.0f %s", name, v, unit)
                        : String.format(Locale.ROOT, "%s: p50 %s %s, p99 %s %s", name,
                        MarkdownReport.latency(v), unit, MarkdownReport.latency(g.whiskers()[s]), unit);
                svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"%s>"
                                + "<title>%s%s</title></rect>%n", bx, y, BAR - 2, axisBottom - y, color(systems.get(s)),
                        g.failed()[s] ? " stroke=\"red\" stroke-width=\"2\"" : "", escape(tip), g.failed()[s] ? " (failed)" : ""));
                if (g.whiskers() != null && g.whiskers()[s] > 0) {
                    double wy = y(g.whiskers()[s], lowExp, highExp, axisTop, axisBottom);
                    double cx = bx + (BAR - 2) / 2.0;
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>"
                                    + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
                            cx, y, cx, wy, cx - 3, wy, cx + 3, wy));
                }
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    gx + systems.size() * BAR / 2, axisBottom + 16, escape(g.label())));
        }
    }

    /** The y coordinate of {@code value} on a log axis from 10^lowExp (bottom) to 10^highExp (top). */
    private static double y(double value, int lowExp, int highExp, int axisTop, int axisBottom) {
        double clamped = Math.max(value, Math.pow(10, lowExp));
        double fraction = (Math.log10(clamped) - lowExp) / (highExp - lowExp);
        return axisBottom - fraction * (axisBottom - axisTop);
    }

    private static String power(int exponent) {
        return switch (exponent) {
            case 0 -> "1";
            case 1 -> "10";
            case 2 -> "100";
            case 3 -> "1k";
            case 4 -> "10k";
            case 5 -> "100k";
            case 6 -> "1M";
            case 7 -> "10M";
            default -> "1e" + exponent;
        };
    }

    private static String shortKind(String kind) {
        return switch (kind) {
            case "READ-MODIFY-WRITE" -> "RMW";
            case "UPDATE" -> "UPD";
            case "INSERT" -> "INS";
            case "DELETE" -> "DEL";
            default -> kind;
        };
    }

    private static String threads(int t) {
        return t == 1 ? "1 thread" : t + " threads";
    }

    static String color(StoreSystem system) {
        return switch (system) {
            case HOTPOT_SYNC -> "#d62728";
            case HOTPOT_NONE -> "#ff9896";
            case ROCKSDB_SYNC -> "#1f77b4";
            case MVSTORE_SYNC -> "#2ca02c";
            case SQLITE_FULL -> "#9467bd";
            case MEMORY -> "#7f7f7f";
            case HOTPOT_CLUSTER -> "#d62728";
            case ETCD -> "#17becf";
        };
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
