package dev.lemming.bench.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a finished run reports, computed once: per benchmark and configuration the statistics
 * and the ratio of its median to the baseline's, and per configuration the geometric mean of
 * those ratios over the benchmarks that both ran.
 */
public final class Report {
    public record Row(Suite.Entry bench, List<Stats> stats, List<String> failures, double[] ratios) {}

    public final BenchRunner.Results results;
    public final String baseline;
    public final List<String> configs = new ArrayList<>();
    public final List<Row> rows = new ArrayList<>();
    public final double[] geomeans;

    public Report(BenchRunner.Results results, String baseline) {
        this.results = results;
        this.baseline = baseline;
        for (Config c : results.plan().configs()) configs.add(c.name());
        int b = configs.indexOf(baseline);
        for (Suite.Entry e : results.plan().suite().benchmarks()) {
            List<Stats> stats = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (String c : configs) {
                BenchRunner.Cell cell = results.cell(e.name(), c);
                stats.add(cell.failure == null && !cell.samples.isEmpty() ? Stats.of(cell.samples) : null);
                failures.add(cell.failure);
            }
            double[] ratios = new double[configs.size()];
            for (int i = 0; i < ratios.length; i++)
                ratios[i] = stats.get(i) != null && stats.get(b) != null && stats.get(b).median() > 0 ? stats.get(i).median() / stats.get(b).median() : Double.NaN;
            rows.add(new Row(e, stats, failures, ratios));
        }
        geomeans = new double[configs.size()];
        for (int i = 0; i < geomeans.length; i++) {
            final int k = i;
            geomeans[i] = Stats.geometricMean(rows.stream().mapToDouble(r -> r.ratios[k]).filter(d -> !Double.isNaN(d)).toArray());
        }
    }

    /** The terminal table. */
    public String table() {
        StringBuilder s = new StringBuilder();
        BenchRunner.Plan p = results.plan();
        s.append(String.format(Locale.ROOT, "suite %s: %d run(s) x %d iterations per configuration, first %d of each run dropped; ratio = median / median of %s%n%n",
                p.suite().name(), p.runs(), p.outer(), p.warmup(), baseline));
        s.append(String.format("%-12s %7s", "benchmark", "inner"));
        for (String c : configs) s.append(String.format("  %26s", c));
        s.append('\n').append(String.format("%-12s %7s", "", ""));
        for (int i = 0; i < configs.size(); i++) s.append(String.format("  %10s %6s %8s", "ms/iter", "iqr", "ratio"));
        s.append('\n');
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-12s %7d", r.bench().name(), r.bench().inner()));
            for (int i = 0; i < configs.size(); i++) {
                Stats st = r.stats().get(i);
                if (st == null) s.append(String.format("  %26s", "FAILED"));
                else s.append(String.format(Locale.ROOT, "  %10s %5.1f%% %8s", ms(st.median()), st.spread() * 100, ratio(r.ratios()[i])));
            }
            s.append('\n');
        }
        s.append(String.format("%-12s %7s", "geomean", ""));
        for (double g : geomeans) s.append(String.format("  %10s %6s %8s", "", "", ratio(g)));
        s.append('\n');
        for (Row r : rows)
            for (int i = 0; i < configs.size(); i++)
                if (r.failures().get(i) != null) s.append(String.format("FAILED %s in %s: %s%n", r.bench().name(), configs.get(i), r.failures().get(i)));
        return s.toString();
    }

    public String csv() {
        StringBuilder s = new StringBuilder("benchmark,inner,config,iterations,median_ms,p25_ms,p75_ms,min_ms,max_ms,spread,ratio,failure\n");
        for (Row r : rows)
            for (int i = 0; i < configs.size(); i++) {
                Stats st = r.stats().get(i);
                s.append(r.bench().name()).append(',').append(r.bench().inner()).append(',').append(configs.get(i)).append(',');
                if (st == null) s.append(",,,,,,,");
                else s.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.5f,", st.n(), st.median() / 1000, st.p25() / 1000,
                        st.p75() / 1000, st.min() / 1000, st.max() / 1000, st.spread(), r.ratios()[i]));
                s.append(csvField(r.failures().get(i))).append('\n');
            }
        for (int i = 0; i < configs.size(); i++)
            s.append(String.format(Locale.ROOT, "GEOMEAN,,%s,,,,,,,,%.5f,%n", configs.get(i), geomeans[i]));
        return s.toString();
    }

    public String json() {
        BenchRunner.Plan p = results.plan();
        StringBuilder s = new StringBuilder("{\n");
        s.append(String.format(Locale.ROOT, "  \"suite\": %s,\n  \"runs\": %d,\n  \"iterations\": %d,\n  \"warmup\": %d,\n  \"baseline\": %s,\n",
                str(p.suite().name()), p.runs(), p.outer(), p.warmup(), str(baseline)));
        s.append("  \"configs\": [");
        for (int i = 0; i < configs.size(); i++)
            s.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT, "    {\"name\": %s, \"command\": %s, \"geomean_ratio\": %s}",
                    str(configs.get(i)), str(p.configs().get(i).template()), num(geomeans[i])));
        s.append("\n  ],\n  \"benchmarks\": [");
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            s.append(r == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT, "    {\"name\": %s, \"inner\": %d, \"results\": {", str(row.bench().name()), row.bench().inner()));
            for (int i = 0; i < configs.size(); i++) {
                Stats st = row.stats().get(i);
                s.append(i == 0 ? "\n" : ",\n").append("      ").append(str(configs.get(i))).append(": ");
                if (st == null) s.append("{\"failure\": ").append(str(row.failures().get(i))).append('}');
                else s.append(String.format(Locale.ROOT, "{\"iterations\": %d, \"median_ms\": %s, \"p25_ms\": %s, \"p75_ms\": %s, \"min_ms\": %s, \"max_ms\": %s, \"ratio\": %s}",
                        st.n(), num(st.median() / 1000), num(st.p25() / 1000), num(st.p75() / 1000), num(st.min() / 1000), num(st.max() / 1000), num(row.ratios()[i])));
            }
            s.append("\n    }}");
        }
        return s.append("\n  ]\n}\n").toString();
    }

    static String ms(double micros) {
        double m = micros / 1000;
        return String.format(Locale.ROOT, m < 10 ? "%.3f" : m < 100 ? "%.2f" : "%.1f", m);
    }

    static String ratio(double r) {
        if (Double.isNaN(r)) return "-";
        return String.format(Locale.ROOT, r < 10 ? "%.2fx" : r < 100 ? "%.1fx" : "%.0fx", r);
    }

    private static String num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.5g", d);
    }

    static String str(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static String csvField(String s) {
        if (s == null) return "";
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
