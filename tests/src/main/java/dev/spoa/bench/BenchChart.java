package dev.spoa.bench;

import dev.spoa.bench.load.LoadResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The figures as a PNG: throughput per scenario as grouped bars (one bar per agent), and p99
 * latency per scenario the same way, both on log scales since the scenarios span decades. Drawn
 * with Java2D, headless (the bench sets java.awt.headless).
 */
final class BenchChart {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 860;
    private static final int LEFT = 100;
    private static final int RIGHT = 30;
    private static final Color[] AGENT_COLORS = {new Color(0x2B6CB0), new Color(0xDD6B20), new Color(0x718096), new Color(0x38A169)};
    private static final Color GRID = new Color(0xD9DEE5);
    private static final Color MINOR_GRID = new Color(0xEEF1F4);
    private static final Color TEXT = new Color(0x1A202C);
    private static final Color MUTED = new Color(0x4A5568);

    private BenchChart() {
    }

    /** A panel: which figure, how it reads on the axis and above a bar. */
    private record Panel(String title, String axis, ToDoubleFunction<LoadResult> value, DoubleFunction<String> label,
            DoubleFunction<String> decadeLabel, int top, int bottom) {
    }

    static void write(Path file, List<ScenarioResult> results, String subtitle) throws IOException {
        Map<String, Map<String, LoadResult>> byScenario = new LinkedHashMap<>();
        Set<String> agents = new LinkedHashSet<>();
        for (ScenarioResult result : results) {
            if (result.load().isPresent() && result.failure().isEmpty()) {
                byScenario.computeIfAbsent(result.scenario().name(), name -> new LinkedHashMap<>()).put(result.target(), result.load().get());
            }
            if (result.scenario() instanceof Scenario.Load) {
                agents.add(result.target());
            }
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
            g.drawString("spoa-bench: throughput and p99 latency per scenario", LEFT, 36);
            g.setColor(MUTED);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(subtitle, LEFT, 58);
            drawLegend(g, new ArrayList<>(agents));
            List<String> agentList = new ArrayList<>(agents);
            drawPanel(g, new Panel("ACKs per second (log scale; higher is better)", "ACK/s", LoadResult::acksPerSecond,
                    BenchChart::rate, BenchChart::rate, 110, 440), byScenario, agentList);
            drawPanel(g, new Panel("p99 latency (log scale; lower is better)", "p99 latency",
                    load -> load.latency().percentile(99), nanos -> Units.latency((long) nanos), BenchChart::decadeOfNanos,
                    520, 810), byScenario, agentList);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void drawLegend(Graphics2D g, List<String> agents) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics metrics = g.getFontMetrics();
        int x = WIDTH - RIGHT;
        for (int i = agents.size() - 1; i >= 0; i--) {
            x -= metrics.stringWidth(agents.get(i)) + 14 + 6 + 20;
            g.setColor(AGENT_COLORS[i % AGENT_COLORS.length]);
            g.fillRect(x, 78, 14, 14);
            g.setColor(TEXT);
            g.drawString(agents.get(i), x + 20, 90);
        }
    }

    private static void drawPanel(Graphics2D g, Panel panel, Map<String, Map<String, LoadResult>> byScenario, List<String> agents) {
        int plotLeft = LEFT;
        int plotRight = WIDTH - RIGHT;
        int top = panel.top();
        int bottom = panel.bottom();
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(panel.title(), plotLeft, top - 16);

        double smallest = Double.MAX_VALUE;
        double largest = 0;
        for (Map<String, LoadResult> row : byScenario.values()) {
            for (LoadResult load : row.values()) {
                double value = panel.value().applyAsDouble(load);
                if (value > 0) {
                    smallest = Math.min(smallest, value);
                    largest = Math.max(largest, value);
                }
            }
        }
        if (largest == 0) {
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 14));
            g.setColor(MUTED);
            g.drawString("no figures", plotLeft + 10, (top + bottom) / 2);
            return;
        }
        // The smallest bar keeps some height even when its value is a round decade.
        int lowDecade = (int) Math.floor(Math.log10(smallest) - 0.3);
        // The top is no round decade: just room for the label above the tallest bar.
        double highest = Math.max(Math.log10(largest) + 0.2, lowDecade + 1);
        int highDecade = (int) Math.floor(highest);
        LogScale scale = new LogScale(lowDecade, highest, top, bottom);

        // Grid: a line per decade, lighter ones at 2x and 5x, labels at the decades.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        for (int decade = lowDecade; decade <= highDecade; decade++) {
            double value = Math.pow(10, decade);
            for (double minor : new double[] {2, 5}) {
                if (Math.log10(value * minor) <= highest) {
                    g.setColor(MINOR_GRID);
                    int y = scale.y(value * minor);
                    g.drawLine(plotLeft, y, plotRight, y);
                }
            }
            int y = scale.y(value);
            g.setColor(GRID);
            g.drawLine(plotLeft, y, plotRight, y);
            g.setColor(MUTED);
            String label = panel.decadeLabel().apply(value);
            g.drawString(label, plotLeft - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
        g.setColor(MUTED);
        g.setStroke(new BasicStroke(1.2f));
        g.drawLine(plotLeft, bottom, plotRight, bottom);
        g.drawLine(plotLeft, top, plotLeft, bottom);
        drawAxisTitle(g, panel.axis(), top, bottom);

        List<String> scenarios = new ArrayList<>(byScenario.keySet());
        double slot = (double) (plotRight - plotLeft) / Math.max(1, scenarios.size());
        double barWidth = slot * 0.72 / Math.max(1, agents.size());
        for (int s = 0; s < scenarios.size(); s++) {
            double groupLeft = plotLeft + s * slot + slot * 0.14;
            Map<String, LoadResult> row = byScenario.get(scenarios.get(s));
            for (int a = 0; a < agents.size(); a++) {
                Optional<LoadResult> load = Optional.ofNullable(row.get(agents.get(a)));
                double value = load.map(panel.value()::applyAsDouble).orElse(0.0);
                int x = (int) Math.round(groupLeft + a * barWidth);
                int width = (int) Math.max(1, Math.round(barWidth) - 3);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                FontMetrics small = g.getFontMetrics();
                if (value <= 0) {
                    g.setColor(MUTED);
                    String none = load.isEmpty() ? "-" : "0";
                    g.drawString(none, x + (width - small.stringWidth(none)) / 2, bottom - 4);
                    continue;
                }
                int y = scale.y(value);
                g.setColor(AGENT_COLORS[a % AGENT_COLORS.length]);
                g.fillRect(x, y, width, bottom - y);
                g.setColor(TEXT);
                String label = panel.label().apply(value);
                g.drawString(label, x + (width - small.stringWidth(label)) / 2, y - 4);
            }
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics labelMetrics = g.getFontMetrics();
            String name = scenarios.get(s);
            int center = (int) Math.round(plotLeft + s * slot + slot / 2);
            g.drawString(name, center - labelMetrics.stringWidth(name) / 2, bottom + 20);
        }
    }

    private static void drawAxisTitle(Graphics2D g, String title, int top, int bottom) {
        AffineTransform saved = g.getTransform();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(MUTED);
        int width = g.getFontMetrics().stringWidth(title);
        g.rotate(-Math.PI / 2);
        g.drawString(title, -(top + bottom) / 2 - width / 2, 24);
        g.setTransform(saved);
    }

    /** 950 as "950", 12,345 as "12.3k", 212,345 as "212k", 1,912,000 as "1.91M". */
    static String rate(double value) {
        if (value < 1_000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value < 1_000_000) {
            double thousands = value / 1_000;
            return thousands < 99.95 ? trim(String.format(Locale.ROOT, "%.1f", thousands)) + "k"
                    : String.format(Locale.ROOT, "%.0fk", thousands);
        }
        return trim(String.format(Locale.ROOT, "%.2f", value / 1_000_000)) + "M";
    }

    /** A power of ten of nanoseconds as "100ns", "10us", "1ms", "10s". */
    static String decadeOfNanos(double nanos) {
        String[] units = {"ns", "us", "ms", "s"};
        int unit = 0;
        double value = nanos;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.0f%s", value, units[unit]);
    }

    private static String trim(String number) {
        return number.contains(".") ? number.replaceAll("\\.?0+$", "") : number;
    }

    /** Where a value lies between 10^low and 10^high, in pixels. */
    private record LogScale(double low, double high, int top, int bottom) {
        int y(double value) {
            double fraction = (Math.log10(value) - low) / (high - low);
            return (int) Math.round(bottom - fraction * (bottom - top));
        }
    }
}
