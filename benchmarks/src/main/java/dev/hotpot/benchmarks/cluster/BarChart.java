package dev.hotpot.benchmarks.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart written as a standalone SVG file: groups along the x axis, one bar per
 * series in each group, a linear y axis from zero, and dashed horizontal reference lines (a
 * baseline or a target) with their labels. Values are drawn as measured; a missing one
 * ({@code NaN}) leaves its slot empty.
 *
 * <p>Invariants: every group has one value per series.
 *
 * <p>Threading: not thread-safe; the harness thread builds and writes it.
 */
final class BarChart {
    private static final String[] COLORS = {"#d9480f", "#1c7ed6", "#2b8a3e", "#7048e8", "#868e96"};
    private static final String REFERENCE_COLOR = "#495057";
    private static final int LEFT = 70;
    private static final int RIGHT = 270;
    private static final int TOP = 50;
    private static final int PLOT_HEIGHT = 300;
    private static final int BOTTOM = 70;
    private static final int BAR = 16;
    private static final int GROUP_GAP = 18;
    private static final int TICKS = 5;
    private static final int MIN_PLOT_WIDTH = 360;

    private record Group(String label, double[] values) {
    }

    private record Reference(String label, double value) {
    }

    private final String title;
    private final String unit;
    private final List<String> series;
    private final List<Group> groups = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();

    /**
     * @param unit   what the y axis counts, e.g. "µs"
     * @param series the bars of each group, in order
     */
    BarChart(String title, String unit, List<String> series) {
        if (series.isEmpty() || series.size() > COLORS.length) {
            throw new IllegalArgumentException("between 1 and " + COLORS.length + " series, not " + series.size());
        }
        this.title = title;
        this.unit = unit;
        this.series = List.copyOf(series);
    }

    /** Adds a group with one value per series. */
    void group(String label, double... values) {
        if (values.length != series.size()) {
            throw new IllegalArgumentException("group " + label + " has " + values.length + " values for "
                    + series.size() + " series");
        }
        groups.add(new Group(label, values.clone()));
    }

    /** Adds a dashed horizontal line at {@code value}, labelled at the right. */
    void reference(String label, double value) {
        references.add(new Reference(label, value));
    }

    /** The chart as an SVG document. */
    String svg() {
        int plotWidth = Math.max(groups.size() * (series.size() * BAR + GROUP_GAP), MIN_PLOT_WIDTH);
        double slot = (double) plotWidth / Math.max(1, groups.size());
        int width = LEFT + plotWidth + RIGHT;
        int legendTop = TOP + PLOT_HEIGHT + BOTTOM;
        int height = legendTop + 20 * series.size() + 10;
        double top = niceTop(maximum());
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        for (int tick = 0; tick <= TICKS; tick++) {
            double value = top * tick / TICKS;
            double y = y(value, top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e9ecef\"/>%n",
                    LEFT, y, LEFT + plotWidth, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, number(value)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\""
                + " text-anchor=\"middle\">%s</text>%n", TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2, escape(unit)));
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            int x0 = (int) Math.round(LEFT + g * slot + (slot - series.size() * BAR) / 2);
            for (int s = 0; s < series.size(); s++) {
                double value = group.values()[s];
                if (Double.isNaN(value)) {
                    continue;
                }
                double y = y(value, top);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s, %s: %s %s</title></rect>%n", x0 + s * BAR, y, BAR - 2, TOP + PLOT_HEIGHT - y,
                        COLORS[s], escape(group.label()), escape(series.get(s)), number(value), escape(unit)));
            }
            int centre = x0 + series.size() * BAR / 2;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-35 %d %d)\">"
                    + "%s</text>%n", centre, TOP + PLOT_HEIGHT + 16, centre, TOP + PLOT_HEIGHT + 16, escape(group.label())));
        }
        for (Reference reference : references) {
            double y = y(reference.value(), top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
                    + " stroke-dasharray=\"6 4\"/>%n", LEFT, y, LEFT + plotWidth, y, REFERENCE_COLOR));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"%s\">%s (%s)</text>%n",
                    LEFT + plotWidth + 6, y + 4, REFERENCE_COLOR, escape(reference.label()), number(reference.value())));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP + PLOT_HEIGHT, LEFT + plotWidth, TOP + PLOT_HEIGHT));
        for (int s = 0; s < series.size(); s++) {
            int y = legendTop + 20 * s;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, y, COLORS[s], LEFT + 18, y + 11, escape(series.get(s))));
        }
        return svg.append("</svg>\n").toString();
    }

    /** Writes the chart to {@code file}, creating its folder. */
    void write(Path file) {
        Report.save(file, svg(), "chart");
    }

    /** The chart file beside a Markdown report: its name with {@code suffix} added, then {@code .svg}. */
    static Path besides(Path report, String suffix) {
        String name = report.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return report.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix + ".svg");
    }

    private double maximum() {
        double max = 0;
        for (Group group : groups) {
            for (double value : group.values()) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        for (Reference reference : references) {
            max = Math.max(max, reference.value());
        }
        return max;
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code max} (1 for an empty chart). */
    static double niceTop(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static double y(double value, double top) {
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * Math.min(value, top) / top;
    }

    private static String number(double value) {
        return value >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
