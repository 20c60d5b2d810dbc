package dev.hotpot.benchmarks.cluster;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The charts the cluster harnesses write: well-formed SVG whose bars and lines stand for the values given. */
class BarChartTest {
    @Test
    void barsAreProportionalToTheirValuesAndAMissingValueLeavesAGap() throws Exception {
        BarChart chart = new BarChart("Latency <p50> & more", "µs", List.of("primary", "other"));
        chart.group("N=1", 100, 200);
        chart.group("N=3", 400, Double.NaN);
        chart.reference("3 forces", 250);
        Document svg = parse(chart.svg());

        List<Double> heights = new ArrayList<>();
        NodeList rects = svg.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getElementsByTagName("title").getLength() == 1) {
                heights.add(Double.parseDouble(rect.getAttribute("height")));
            }
        }
        assertEquals(3, heights.size(), "one bar per value, none for the missing one");
        assertEquals(2.0, heights.get(1) / heights.get(0), 1e-3);
        assertEquals(4.0, heights.get(2) / heights.get(0), 1e-3);

        Element reference = dashedLine(svg);
        Element top = tallest(svg);
        double axis = Double.parseDouble(top.getAttribute("y")) + Double.parseDouble(top.getAttribute("height"));
        double referenceHeight = axis - Double.parseDouble(reference.getAttribute("y1"));
        assertEquals(250.0 / 400, referenceHeight / heights.get(2), 1e-3, "the reference line sits at its value");
        assertTrue(chart.svg().contains("Latency &lt;p50&gt; &amp; more"), "text is escaped");
    }

    @Test
    void theAxisEndsAtTheNextRoundValue() {
        assertEquals(500, BarChart.niceTop(431));
        assertEquals(10_000, BarChart.niceTop(9_746));
        assertEquals(2, BarChart.niceTop(1.2));
        assertEquals(1, BarChart.niceTop(0));
    }

    @Test
    void aGroupMustHaveOneValuePerSeries() {
        BarChart chart = new BarChart("t", "ms", List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> chart.group("g", 1));
    }

    @Test
    void theChartFileSitsBesideTheReport() {
        assertEquals(Path.of("results/cluster-latency.svg"), BarChart.besides(Path.of("results/cluster-latency.md"), ""));
        assertEquals(Path.of("results/cluster-latency-round-2.svg"),
                BarChart.besides(Path.of("results/cluster-latency.md"), "-round-2"));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element dashedLine(Document svg) {
        NodeList lines = svg.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if (line.hasAttribute("stroke-dasharray")) {
                return line;
            }
        }
        throw new AssertionError("no reference line");
    }

    private static Element tallest(Document svg) {
        Element tallest = null;
        NodeList rects = svg.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getElementsByTagName("title").getLength() == 1 && (tallest == null
                    || Double.parseDouble(rect.getAttribute("height")) > Double.parseDouble(tallest.getAttribute("height")))) {
                tallest = rect;
            }
        }
        return tallest;
    }
}
