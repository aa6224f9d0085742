package dev.lemming.bench.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ratios as an SVG bar chart: one group of bars per benchmark (and one for the geometric
 * mean), one bar per configuration, drawn on a log scale from the baseline's 1.0 line, up when
 * slower than the baseline and down when faster. A failed run is an X at the 1.0 line.
 */
public final class SvgPlot {
    private static final String[] COLORS = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"};
    private static final int BAR = 16, GAP = 18, LEFT = 70, TOP = 60, PLOT = 280, BOTTOM = 90, RIGHT = 20;

    private SvgPlot() {}

    public static String render(Report report) {
        int n = report.configs.size();
        List<String> names = new ArrayList<>();
        List<double[]> groups = new ArrayList<>();
        for (Report.Row r : report.rows) {
            names.add(r.bench().name());
            groups.add(r.ratios());
        }
        names.add("geomean");
        groups.add(report.geomeans);

        double lo = 1, hi = 1;
        for (double[] g : groups)
            for (double v : g)
                if (!Double.isNaN(v) && v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
        double decLo = Math.floor(Math.log10(lo) - 1e-9), decHi = Math.ceil(Math.log10(hi) + 1e-9);
        if (decHi - decLo < 1) decHi = decLo + 1;
        final double a = decLo, b = decHi;
        java.util.function.DoubleUnaryOperator y = v -> TOP + PLOT - (Math.log10(v) - a) / (b - a) * PLOT;

        int groupWidth = n * BAR + GAP;
        int width = Math.max(LEFT + groups.size() * groupWidth + RIGHT, 640);
        int height = TOP + PLOT + BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>%n", LEFT,
                esc("Time per iteration relative to " + report.baseline + " (log scale, lower is faster), suite " + report.results.plan().suite().name())));
        for (int i = 0; i < n; i++) {
            int x = LEFT + i * 130;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"40\">%s</text>%n",
                    x, COLORS[i % COLORS.length], x + 16, esc(report.configs.get(i))));
        }
        for (double dec = a; dec <= b; dec++)
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, dec);
                if (Math.log10(v) > b + 1e-9) continue;
                double yy = y.applyAsDouble(v);
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                        LEFT, width - RIGHT, yy, yy, m == 1 ? "#bbbbbb" : "#eeeeee"));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, yy + 4, tick(v)));
            }
        double one = y.applyAsDouble(1);
        for (int g = 0; g < groups.size(); g++) {
            int x0 = LEFT + g * groupWidth + GAP / 2;
            for (int i = 0; i < n; i++) {
                double v = groups.get(g)[i];
                int x = x0 + i * BAR;
                if (Double.isNaN(v) || v <= 0) {
                    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"%s\" text-anchor=\"middle\" font-weight=\"bold\">X</text>%n",
                            x + BAR / 2, one + 4, COLORS[i % COLORS.length]));
                    continue;
                }
                double yv = y.applyAsDouble(v);
                double top = Math.min(yv, one), h = Math.max(Math.abs(yv - one), 1.5);
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        x, top, BAR - 2, h, COLORS[i % COLORS.length], esc(names.get(g)), esc(report.configs.get(i)), Report.ratio(v)));
            }
            int cx = x0 + n * BAR / 2;
            s.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%d) rotate(-40)\" text-anchor=\"end\"%s>%s</text>%n",
                    cx, TOP + PLOT + 14, g == groups.size() - 1 ? " font-weight=\"bold\"" : "", esc(names.get(g))));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n", LEFT, width - RIGHT, one, one));
        return s.append("</svg>\n").toString();
    }

    /** 0.05x, 0.5x, 1x, 20x: a tick's value without spurious decimals. */
    static String tick(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(1)).stripTrailingZeros().toPlainString() + "x";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
