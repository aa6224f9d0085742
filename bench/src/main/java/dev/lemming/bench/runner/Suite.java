package dev.lemming.bench.runner;

import dev.lemming.launcher.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of SOM benchmark programs run through a harness that prints the Are We Fast Yet
 * per-iteration lines: its class path and, per benchmark, the inner iterations to use.
 * {@code smokeInner} is the smallest inner count at which the benchmark still verifies.
 */
public record Suite(String name, List<Path> classPath, List<Entry> benchmarks) {
    public record Entry(String name, int inner, int smokeInner) {}

    /** Lemming's own programs (bench/programs of the checkout): every one verifies at any inner count. */
    public static Suite bundled(Path dir) {
        if (!Files.isRegularFile(dir.resolve("Harness.som")))
            throw new UsageException("the bundled benchmarks are missing: no Harness.som in " + dir);
        List<Entry> all = new ArrayList<>();
        for (String[] b : new String[][] {{"Sends", "4"}, {"Closures", "10"}, {"Recurse", "3"}, {"Arith", "3"},
                {"Trees", "8"}, {"Collections", "8"}, {"Strings", "8"}, {"Floats", "20"}})
            all.add(new Entry(b[0], Integer.parseInt(b[1]), 1));
        return new Suite("lemming", List.of(dir), all);
    }

    /**
     * SOM-st/SOM's Are We Fast Yet, given the checkout or its Examples/AreWeFastYet folder. The
     * AWFY folders come before the checkout's Smalltalk library (AWFY's Vector must win), and the
     * inner counts are those of ../shared/PEERS.md; Mandelbrot, NBody and CD only verify at some
     * counts, hence their smoke values.
     */
    public static Suite awfy(Path path) {
        Path dir = Files.isDirectory(path.resolve("Examples/AreWeFastYet")) ? path.resolve("Examples/AreWeFastYet") : path;
        if (!Files.isRegularFile(dir.resolve("Harness.som")) || !Files.isDirectory(dir.resolve("Core")))
            throw new UsageException("--awfy: " + path + " is neither a SOM-st/SOM checkout nor its Examples/AreWeFastYet folder");
        List<Path> cp = new ArrayList<>(List.of(dir));
        for (String sub : List.of("Core", "CD", "DeltaBlue", "Havlak", "Json", "NBody", "Richards")) cp.add(dir.resolve(sub));
        Path library = dir.resolve("../../Smalltalk").normalize();
        if (Files.isDirectory(library)) cp.add(library);
        List<Entry> all = new ArrayList<>();
        for (String[] b : new String[][] {{"Bounce", "100", "1"}, {"List", "100", "1"}, {"Mandelbrot", "500", "1"},
                {"NBody", "10000", "1"}, {"Permute", "100", "1"}, {"Queens", "100", "1"}, {"Sieve", "100", "1"},
                {"Storage", "100", "1"}, {"Towers", "100", "1"}, {"Richards", "10", "1"}, {"DeltaBlue", "2000", "1"},
                {"Json", "10", "1"}, {"CD", "10", "2"}, {"Havlak", "1", "1"}})
            all.add(new Entry(b[0], Integer.parseInt(b[1]), Integer.parseInt(b[2])));
        // NBody verifies only at 1 and 250000 inner iterations in SOM-st/SOM; PEERS.md's 10000
        // needs its result added to a scratch copy. Without it, 1 keeps the run honest (and tiny).
        if (!nbodyVerifiesAt10000(dir)) all.replaceAll(e -> e.name().equals("NBody") ? new Entry("NBody", 1, 1) : e);
        return new Suite("awfy", cp, all);
    }

    private static boolean nbodyVerifiesAt10000(Path dir) {
        try {
            return Files.readString(dir.resolve("NBody/NBody.som")).contains("innerIterations = 10000");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The same benchmarks with other inner counts: one for all ("100"), or per benchmark ("NBody=1"). */
    public Suite withInner(List<String> overrides, boolean smoke) {
        List<Entry> all = new ArrayList<>();
        for (Entry e : benchmarks) {
            int inner = smoke ? e.smokeInner() : e.inner();
            for (String o : overrides) {
                int eq = o.indexOf('=');
                if (eq < 0) inner = positive(o);
                else if (o.substring(0, eq).equalsIgnoreCase(e.name())) inner = positive(o.substring(eq + 1));
            }
            all.add(new Entry(e.name(), inner, e.smokeInner()));
        }
        return new Suite(name, classPath, all);
    }

    private static int positive(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
        }
        throw new UsageException("--inner needs a positive number or NAME=NUMBER, not '" + s + "'");
    }

    /** The benchmarks named, in the suite's order; all of them when none is named. */
    public Suite select(List<String> names) {
        if (names.isEmpty()) return this;
        List<Entry> chosen = new ArrayList<>();
        for (String n : names) {
            Entry e = benchmarks.stream().filter(b -> b.name().equalsIgnoreCase(n)).findFirst()
                    .orElseThrow(() -> new UsageException("no benchmark '" + n + "' in the " + name + " suite (it has "
                            + benchmarks.stream().map(Entry::name).toList() + ")"));
            chosen.add(e);
        }
        return new Suite(name, classPath, chosen);
    }

    public String classPathString() {
        return String.join(":", classPath.stream().map(Path::toString).toList());
    }
}
