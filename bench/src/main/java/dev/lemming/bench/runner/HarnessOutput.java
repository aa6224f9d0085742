package dev.lemming.bench.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the per-iteration lines that the Are We Fast Yet harness (and Lemming's own) prints:
 * {@code NAME: iterations=1 runtime: 1234us}, and the closing {@code NAME: iterations=N average: ...}
 * that says the run finished.
 */
public final class HarnessOutput {
    private static final Pattern ITERATION = Pattern.compile("^(\\S+): iterations=1 runtime: (\\d+)us\\s*$", Pattern.MULTILINE);
    private static final Pattern SUMMARY = Pattern.compile("^(\\S+): iterations=(\\d+) average: ", Pattern.MULTILINE);

    private HarnessOutput() {}

    /** Per-iteration times in microseconds of benchmark {@code name}, in order. */
    public static List<Long> iterations(String stdout, String name) {
        List<Long> times = new ArrayList<>();
        Matcher m = ITERATION.matcher(stdout);
        while (m.find()) if (m.group(1).equals(name)) times.add(Long.parseLong(m.group(2)));
        return times;
    }

    /** The iterations of the harness's summary line for {@code name}, or -1 when it did not finish. */
    public static int finished(String stdout, String name) {
        Matcher m = SUMMARY.matcher(stdout);
        while (m.find()) if (m.group(1).equals(name)) return Integer.parseInt(m.group(2));
        return -1;
    }
}
