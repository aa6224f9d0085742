package dev.lemming.bench.runner;

import dev.lemming.launcher.UsageException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The side-by-side runner: its parts, and one smoke run of real processes, including a peer that fails. */
class BenchCommandTest {
    @BeforeAll
    static void home() {
        // Tests run in bench/; the bundled programs are bench/programs of the checkout.
        System.setProperty("lemming.home", Path.of("").toAbsolutePath().getParent().toString());
    }

    @Test
    void readsTheHarnessLinesOfItsBenchmarkOnly() {
        String out = """
                Starting Sends benchmark ...
                Sends: iterations=1 runtime: 1200us
                Other: iterations=1 runtime: 5us
                Sends: iterations=1 runtime: 900us
                Sends: iterations=2 average: 1050us total: 2100us
                """;
        assertEquals(List.of(1200L, 900L), HarnessOutput.iterations(out, "Sends"));
        assertEquals(2, HarnessOutput.finished(out, "Sends"));
        assertEquals(-1, HarnessOutput.finished("Sends: iterations=1 runtime: 5us\n", "Sends"));
    }

    @Test
    void statisticsInterpolateQuartiles() {
        Stats s = Stats.of(List.of(40L, 10L, 30L, 20L));
        assertEquals(25.0, s.median());
        assertEquals(17.5, s.p25());
        assertEquals(32.5, s.p75());
        assertEquals(10.0, s.min());
        assertEquals(0.6, s.spread(), 1e-12);
        assertEquals(4.0, Stats.geometricMean(new double[] {2, 8}), 1e-12);
    }

    @Test
    void templatesExpandPlaceholdersAndKeepQuotedSpaces() {
        Config c = Config.parse("peer=run.sh '-opt a b' -cp {cp}:lib {bench} {outer} {inner} {lemming}");
        List<String> argv = c.command(Map.of("{cp}", "x:y", "{bench}", "Sends", "{outer}", "3", "{inner}", "7"), List.of("java", "Main"));
        assertEquals(List.of("run.sh", "-opt a b", "-cp", "x:y:lib", "Sends", "3", "7", "java", "Main"), argv);
        assertThrows(UsageException.class, () -> Config.parse("no-template"));
        assertThrows(UsageException.class, () -> Config.parse("x=run {cp}"));
        assertThrows(UsageException.class, () -> Config.parse("bad name=x {bench}"));
        assertThrows(UsageException.class, () -> Config.parse("x=run '{bench}"));
    }

    @Test
    void awfyNeedsARealCheckout(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> Suite.awfy(dir));
        assertTrue(e.getMessage().contains("neither a SOM-st/SOM checkout"), e.getMessage());
    }

    @Test
    void unknownBenchmarksAndOptionsAreUsageErrors() {
        Suite s = Suite.bundled(BenchCommand.bundledPrograms());
        assertThrows(UsageException.class, () -> s.select(List.of("NoSuchBenchmark")));
        assertThrows(UsageException.class, () -> new BenchCommand().run(List.of("--frobnicate"), System.out, System.err));
        assertThrows(UsageException.class, () -> new BenchCommand().run(List.of("--iterations", "2", "--warmup", "2"), System.out, System.err));
        assertThrows(UsageException.class, () -> new BenchCommand().run(List.of("--baseline", "nobody"), System.out, System.err));
        assertThrows(UsageException.class, () -> new BenchCommand().run(List.of("--pin", "one"), System.out, System.err));
    }

    /** --pin runs every configuration under taskset: a CPU this machine lacks makes the run fail, CPU 0 measures. */
    @Test
    void pinnedRunsGoThroughTaskset(@TempDir Path out) throws Exception {
        for (String cpu : List.of("0", "4095")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                code = new BenchCommand().run(List.of("--smoke", "--pin", cpu, "--configs", "lemming-interp", "--out", out.resolve(cpu).toString(), "Recurse"), o, o);
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (cpu.equals("0")) assertEquals(0, code, text);
            else assertTrue(code == 1 && text.contains("FAILED Recurse in lemming-interp"), text);
        }
    }

    /**
     * Two bundled benchmarks in four configurations: both of Lemming's, a peer that is Lemming's
     * interpreter again through {lemming}, and a peer that cannot find the harness. The broken
     * peer is reported as failed and the rest is measured, tabled, written and plotted.
     */
    @Test
    void smokeRunWritesTableCsvJsonAndPlot(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = new BenchCommand().run(List.of("--smoke", "--out", out.toString(),
                    "--peer", "again={lemming} --jit=off run -cp {cp} Harness {bench} {outer} {inner}",
                    "--peer", "broken={lemming} run -cp " + out + " Harness {bench} {outer} {inner}",
                    "Recurse", "Strings"), o, o);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);  // the broken peer
        assertTrue(text.contains("FAILED Recurse in broken: exit"), text);
        assertTrue(text.matches("(?s).*Recurse +1 +[0-9.]+ +[0-9.]+% +1\\.00x +[0-9.]+ .*"), text);

        String csv = Files.readString(out.resolve("results.csv"));
        List<String> lines = csv.lines().toList();
        assertEquals(1 + 2 * 4 + 4, lines.size(), csv);
        assertTrue(lines.get(1).startsWith("Recurse,1,lemming-jit,1,"), csv);
        assertTrue(csv.contains("Strings,1,again,1,"), csv);
        assertTrue(csv.contains("GEOMEAN,,lemming-jit,,,,,,,,1.00000,"), csv);

        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"baseline\": \"lemming-jit\""), json);
        assertTrue(json.contains("\"broken\": {\"failure\": \"exit "), json);
        assertEquals(json.chars().filter(ch -> ch == '{').count(), json.chars().filter(ch -> ch == '}').count());

        String svg = Files.readString(out.resolve("ratios.svg"));
        assertTrue(svg.startsWith("<svg") && svg.trim().endsWith("</svg>"));
        assertEquals(3 * 3, svg.split("<title>", -1).length - 1, "a bar per measured config per group (2 benchmarks + geomean)");
        assertTrue(svg.contains(">X</text>"), "the broken peer's missing bars are marked");
    }
}
