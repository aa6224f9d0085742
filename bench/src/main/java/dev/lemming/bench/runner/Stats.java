package dev.lemming.bench.runner;

import java.util.Arrays;
import java.util.List;

/** Order statistics of per-iteration times in microseconds. Spread is the interquartile range over the median. */
public record Stats(int n, double median, double p25, double p75, double min, double max) {
    public static Stats of(List<Long> micros) {
        double[] v = micros.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        if (v.length == 0) throw new IllegalArgumentException("no samples");
        return new Stats(v.length, quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[0], v[v.length - 1]);
    }

    /** Linear interpolation between the closest ranks. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    public double spread() {
        return median == 0 ? 0 : (p75 - p25) / median;
    }

    public static double geometricMean(double[] values) {
        return Math.exp(Arrays.stream(values).map(Math::log).average().orElse(Double.NaN));
    }
}
