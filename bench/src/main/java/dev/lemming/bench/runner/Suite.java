package dev.lemming.bench.runner;

import dev.lemming.launcher.AreWeFastYet;
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
        for (String[] b : new String[][] {{"Sends", "8"}, {"Closures", "20"}, {"Recurse", "6"}, {"Arith", "6"},
                {"Trees", "16"}, {"Collections", "16"}, {"Strings", "16"}, {"Floats", "40"}})
            all.add(new Entry(b[0], Integer.parseInt(b[1]), 1));
        return new Suite("lemming", List.of(dir), all);
    }

    /**
     * SOM-st/SOM's Are We Fast Yet, given the checkout or its Examples/AreWeFastYet folder, with
     * the inner counts of ../shared/PEERS.md. Without a verification value for NBody at 10000,
     * NBody runs at 1, which keeps the run honest (and tiny).
     */
    public static Suite awfy(Path path) {
        Path dir = AreWeFastYet.folder(path);
        boolean nbody = AreWeFastYet.nbodyVerifiesAt10000(dir);
        List<Entry> all = new ArrayList<>();
        for (AreWeFastYet.Benchmark b : AreWeFastYet.ALL)
            all.add(b.name().equals("NBody") && !nbody ? new Entry("NBody", 1, 1) : new Entry(b.name(), b.inner(), b.smokeInner()));
        return new Suite("awfy", AreWeFastYet.classPath(dir), all);
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
