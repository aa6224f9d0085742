package dev.lemming.bench.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every benchmark of a suite in every configuration, each run a fresh process. Runs
 * alternate: run r of every configuration for a benchmark comes before run r+1 of any, and
 * the order of the configurations rotates from run to run, so drift of the machine (another
 * job, thermal state) hits all configurations alike. The first {@code warmup} iterations of
 * each run are dropped; the rest of all runs are pooled.
 */
public final class BenchRunner {
    /** {@code pin}: the CPU list every run is bound to with taskset (null: not bound). */
    public record Plan(Suite suite, List<Config> configs, int runs, int outer, int warmup, long timeoutSeconds, List<String> lemming, String pin) {}

    /** The measurements of one benchmark in one configuration; a failure stops its further runs. */
    public static final class Cell {
        public final List<Long> samples = new ArrayList<>();
        public String failure;
    }

    public record Results(Plan plan, Map<String, Map<String, Cell>> cells) {
        public Cell cell(String bench, String config) {
            return cells.get(bench).get(config);
        }

        public boolean anyFailure() {
            return cells.values().stream().flatMap(m -> m.values().stream()).anyMatch(c -> c.failure != null);
        }
    }

    private BenchRunner() {}

    public static Results run(Plan plan, PrintStream progress) throws IOException, InterruptedException {
        Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
        for (Suite.Entry b : plan.suite().benchmarks()) {
            Map<String, Cell> row = new LinkedHashMap<>();
            for (Config c : plan.configs()) row.put(c.name(), new Cell());
            cells.put(b.name(), row);
        }
        Path logDir = Files.createTempDirectory("lemming-bench");
        try {
            for (int run = 0; run < plan.runs(); run++) {
                for (Suite.Entry b : plan.suite().benchmarks()) {
                    int n = plan.configs().size();
                    for (int k = 0; k < n; k++) {
                        Config c = plan.configs().get((k + run) % n);
                        Cell cell = cells.get(b.name()).get(c.name());
                        if (cell.failure != null) continue;
                        once(plan, b, c, cell, logDir);
                        progress.printf("  run %d/%d  %-12s %-16s %s%n", run + 1, plan.runs(), b.name(), c.name(),
                                cell.failure != null ? "FAILED: " + cell.failure
                                        : String.format("median so far %.2f ms", Stats.of(cell.samples).median() / 1000));
                    }
                }
            }
        } finally {
            try (var files = Files.list(logDir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(logDir);
        }
        return new Results(plan, cells);
    }

    private static void once(Plan plan, Suite.Entry b, Config c, Cell cell, Path logDir) throws IOException, InterruptedException {
        Map<String, String> values = Map.of("{cp}", plan.suite().classPathString(), "{bench}", b.name(),
                "{outer}", String.valueOf(plan.outer()), "{inner}", String.valueOf(b.inner()));
        List<String> argv = new ArrayList<>();
        if (plan.pin() != null) argv.addAll(List.of("taskset", "-c", plan.pin()));
        argv.addAll(c.command(values, plan.lemming()));
        Path out = logDir.resolve("out.txt"), err = logDir.resolve("err.txt");
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            cell.failure = "cannot start '" + argv.get(0) + "': " + e.getMessage();
            return;
        }
        p.getOutputStream().close();
        if (!p.waitFor(plan.timeoutSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            cell.failure = "timed out after " + plan.timeoutSeconds() + " s";
            return;
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        List<Long> times = HarnessOutput.iterations(stdout, b.name());
        // A template may fix its own iteration count (a JVM peer that needs a longer warm-up, say):
        // what counts is that the harness finished and printed every iteration it announced.
        int announced = HarnessOutput.finished(stdout, b.name());
        if (p.exitValue() != 0 || announced < 0 || times.size() != announced || announced <= plan.warmup()) {
            cell.failure = "exit " + p.exitValue() + ", " + times.size() + " iterations" + (announced < 0 ? " and no summary" : " of " + announced) + ": "
                    + lastLine(Files.readString(err, StandardCharsets.UTF_8), stdout);
            return;
        }
        cell.samples.addAll(times.subList(plan.warmup(), times.size()));
    }

    /** The last line a failed run printed on stderr, else on stdout: usually its error. */
    private static String lastLine(String stderr, String stdout) {
        String text = stderr.isBlank() ? stdout : stderr;
        if (text.isBlank()) return "(no output)";
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
