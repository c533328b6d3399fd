package go4j.bench.report;

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
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The README's chart: grouped bars of ns/op per workload, one bar per column (Go, go4j per scheduler, peers), on a
 * log scale; each bar carries its value. Plain java.awt, headless.
 */
final class Chart {
    private Chart() {}

    private static final Color[] GO4J = {new Color(0xE8590C), new Color(0xC92A2A), new Color(0xF59F00)};
    private static final Color GO = new Color(0x00ADD8);
    private static final Color JOX = new Color(0x2F9E44);
    private static final Color JUC = new Color(0x7048E8);
    private static final Color OTHER = new Color(0x868E96);

    static void draw(Map<String, Map<String, Report.Result>> table, List<String> columns, Path file, String date)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> rows = new ArrayList<>();
        double min = Double.MAX_VALUE, max = 0;
        for (var e : table.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            rows.add(e.getKey());
            for (Report.Result r : e.getValue().values()) {
                if (r.ns() > 0) {
                    min = Math.min(min, r.ns());
                    max = Math.max(max, r.ns());
                }
            }
        }
        if (rows.isEmpty()) {
            min = 1;
            max = 10;
        }
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(max));
        if (hi == lo) {
            hi++;
        }

        int perGroup = columns.size();
        int bar = 22;
        int gap = 26;
        int groupW = perGroup * bar + gap;
        int left = 90, right = 30, top = 80, bottom = 120;
        int plotH = 620;
        int width = Math.max(900, left + right + rows.size() * groupW);
        int height = top + plotH + bottom;

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        // Title and legend.
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("ns/op per workload (log scale, lower is better)" + (date.isEmpty() ? "" : " — " + date),
                left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int lx = left;
        for (int c = 0; c < columns.size(); c++) {
            g.setColor(color(columns, c));
            g.fillRect(lx, 44, 16, 16);
            g.setColor(Color.BLACK);
            g.drawString(columns.get(c), lx + 22, 57);
            lx += 22 + g.getFontMetrics().stringWidth(columns.get(c)) + 24;
        }

        // Axis and decade grid.
        int x0 = left, y0 = top + plotH;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int d = lo; d <= hi; d++) {
            int y = y(Math.pow(10, d), lo, hi, top, plotH);
            g.setColor(new Color(0xDEE2E6));
            g.setStroke(new BasicStroke(1f));
            g.drawLine(x0, y, width - right, y);
            g.setColor(Color.DARK_GRAY);
            String label = Report.time(Math.pow(10, d));
            g.drawString(label, x0 - 8 - fm.stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(x0, top, x0, y0);
        g.drawLine(x0, y0, width - right, y0);

        // Bars.
        Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font rowFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Report.Result> cells = table.get(rows.get(r));
            int gx = x0 + gap / 2 + r * groupW;
            for (int c = 0; c < columns.size(); c++) {
                Report.Result res = cells.get(columns.get(c));
                int bx = gx + c * bar;
                if (res == null || !(res.ns() > 0)) {
                    continue;
                }
                int by = y(res.ns(), lo, hi, top, plotH);
                g.setColor(color(columns, c));
                g.fillRect(bx + 1, by, bar - 2, y0 - by);
                // value, rotated, just above the bar
                g.setColor(Color.BLACK);
                g.setFont(valueFont);
                String v = Report.time(res.ns());
                AffineTransform saved = g.getTransform();
                g.translate(bx + bar / 2 + 4, by - 4);
                g.rotate(-Math.PI / 2);
                g.drawString(v, 0, 0);
                g.setTransform(saved);
            }
            g.setColor(Color.BLACK);
            g.setFont(rowFont);
            String name = rows.get(r);
            AffineTransform saved = g.getTransform();
            g.translate(gx + (perGroup * bar) / 2.0 + 5, y0 + 10);
            g.rotate(Math.PI / 6);
            g.drawString(name, 0, 0);
            g.setTransform(saved);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static int y(double ns, int lo, int hi, int top, int plotH) {
        double f = (Math.log10(ns) - lo) / (hi - lo);
        return (int) Math.round(top + plotH - f * plotH);
    }

    private static Color color(List<String> columns, int c) {
        String name = columns.get(c);
        if (name.equals(Report.GO)) {
            return GO;
        }
        if (name.startsWith("go4j")) {
            int k = 0;
            for (int i = 0; i < c; i++) {
                if (columns.get(i).startsWith("go4j")) {
                    k++;
                }
            }
            return GO4J[k % GO4J.length];
        }
        if (name.equals(Report.JOX)) {
            return JOX;
        }
        if (name.equals(Report.JUC)) {
            return JUC;
        }
        return OTHER;
    }
}
