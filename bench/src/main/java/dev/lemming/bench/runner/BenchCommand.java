package dev.lemming.bench.runner;

import dev.lemming.launcher.Command;
import dev.lemming.launcher.CommandOptions;
import dev.lemming.launcher.LemmingProcess;
import dev.lemming.launcher.UsageException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * `lemming bench`: SOM benchmark programs side by side in several configurations (Lemming with
 * and without the JIT, and peers given as command templates), reported as a table, CSV, JSON
 * and an SVG plot. See bench/README.md.
 */
public final class BenchCommand implements Command {
    @Override public String name() { return "bench"; }
    @Override public String summary() { return "run SOM benchmarks side by side: [--awfy PATH] [--peer NAME=TEMPLATE]... [--runs N] [--iterations N] [--pin CPUS] [--smoke] [BENCHMARK...]"; }

    static final String USAGE = """
            usage: lemming bench [options] [BENCHMARK...]
              --awfy PATH            SOM-st/SOM's Are We Fast Yet (the checkout or its Examples/AreWeFastYet);
                                     without it, Lemming's bundled benchmark programs
              --peer NAME=TEMPLATE   another VM, as a command template with {cp} {bench} {outer} {inner}
                                     (and {lemming}, this Lemming's launcher); repeatable
              --configs A,B,...      which configurations to run, in this order (default: lemming-jit,
                                     lemming-interp, then the peers)
              --baseline NAME        ratios relative to this configuration (default: the first)
              --runs N               fresh processes per benchmark and configuration, alternated (default 3)
              --iterations N         harness iterations per run (default 12)
              --warmup N             iterations dropped at the start of each run (default 4)
              --inner N | NAME=N     inner iterations, for all benchmarks or one (repeatable)
              --timeout SECONDS      per run (default 900)
              --pin CPUS             bind every run, of every configuration, to these CPUs (taskset -c CPUS,
                                     e.g. 1): on a small VM, runs left to the scheduler have phases
                                     ~1.6x slower that come and go (bench/README.md)
              --out DIR              where results.csv, results.json and ratios.svg go
                                     (default bench-results/SUITE-DATE-TIME)
              --smoke                1 run of 2 iterations at the smallest inner counts, to check it all works""";

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        List<String> args = new ArrayList<>(argv);
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        boolean smoke = args.remove("--smoke");
        String awfy = CommandOptions.take(args, "--awfy");
        List<Config> configs = new ArrayList<>(Config.lemmingDefaults());
        for (String p; (p = CommandOptions.take(args, "--peer")) != null; ) configs.add(Config.parse(p));
        String chosen = CommandOptions.take(args, "--configs");
        if (chosen != null) configs = choose(configs, chosen);
        String baseline = CommandOptions.take(args, "--baseline");
        if (baseline == null) baseline = configs.get(0).name();
        final String base = baseline;
        if (configs.stream().noneMatch(c -> c.name().equals(base)))
            throw new UsageException("--baseline " + baseline + " is not one of the configurations " + configs.stream().map(Config::name).toList());
        int runs = CommandOptions.takeInt(args, "--runs", smoke ? 1 : 3);
        int outer = CommandOptions.takeInt(args, "--iterations", smoke ? 2 : 12);
        int warmup = CommandOptions.takeInt(args, "--warmup", smoke ? 1 : 4);
        if (runs < 1 || outer < 1 || warmup < 0) throw new UsageException("--runs and --iterations must be at least 1, --warmup at least 0");
        if (warmup >= outer) throw new UsageException("--warmup " + warmup + " leaves no iteration of " + outer + " to measure");
        int timeout = CommandOptions.takeInt(args, "--timeout", 900);
        List<String> inner = new ArrayList<>();
        for (String i; (i = CommandOptions.take(args, "--inner")) != null; ) inner.add(i);
        String outDir = CommandOptions.take(args, "--out");
        String pin = CommandOptions.take(args, "--pin");
        if (pin != null && !pin.matches("[0-9]+([-,][0-9]+)*")) throw new UsageException("--pin " + pin + ": not a CPU list (such as 1, 0-1 or 0,2)");
        if (pin != null && !onPath("taskset")) throw new UsageException("--pin needs taskset (Debian package util-linux), which is not on PATH");
        for (String a : args) if (a.startsWith("-")) throw new UsageException("bench: unknown option " + a + "\n" + USAGE);

        Suite suite = (awfy != null ? Suite.awfy(Path.of(awfy)) : Suite.bundled(bundledPrograms())).select(args).withInner(inner, smoke);
        Path dir = Path.of(outDir != null ? outDir
                : "bench-results/" + suite.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        BenchRunner.Plan plan = new BenchRunner.Plan(suite, configs, runs, outer, warmup, timeout, LemmingProcess.command(), pin);
        out.printf("lemming bench: %d benchmark(s) of suite %s x %d configuration(s) %s, %d run(s) each%n",
                suite.benchmarks().size(), suite.name(), configs.size(), configs.stream().map(Config::name).toList(), runs);
        BenchRunner.Results results = BenchRunner.run(plan, out);
        Report report = new Report(results, baseline);
        out.println();
        out.print(report.table());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), report.csv());
        Files.writeString(dir.resolve("results.json"), report.json());
        Files.writeString(dir.resolve("ratios.svg"), SvgPlot.render(report));
        out.println();
        out.println("wrote " + dir.resolve("results.csv") + ", " + dir.resolve("results.json") + " and " + dir.resolve("ratios.svg"));
        return results.anyFailure() ? 1 : 0;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        return false;
    }

    /** bench/programs of the checkout bin/lemming runs from (lemming.home), else of the working directory. */
    static Path bundledPrograms() {
        String home = System.getProperty("lemming.home");
        return Path.of(home != null ? home : ".").resolve("bench/programs").toAbsolutePath().normalize();
    }

    private static List<Config> choose(List<Config> all, String names) {
        List<Config> chosen = new ArrayList<>();
        for (String n : names.split(",")) {
            Config c = all.stream().filter(x -> x.name().equals(n.trim())).findFirst()
                    .orElseThrow(() -> new UsageException("--configs: no configuration '" + n.trim() + "' (there are " + all.stream().map(Config::name).toList() + ")"));
            chosen.add(c);
        }
        return chosen;
    }
}
