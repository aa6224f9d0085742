package dev.lemming.stress.scenario;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.testing.LangTest;
import dev.lemming.launcher.AreWeFastYet;
import dev.lemming.memory.HeapConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gc-torture scenario: Lemming's own SOM test programs (tests/som, tests/ffi) and, given a
 * path, SOM-st/SOM's Are We Fast Yet at their smallest verifying inner counts, each in a fresh VM
 * under --gc-torture --verify-heap, with the JIT off and then on (compiling at the first call).
 * A scavenge at every allocation moves every young object wherever a reference might be held
 * only in a Java local or a register; the verifier checks the heap around every collection.
 */
public final class GcTorture {
    /** Havlak's old space grows to ~100 MB: a full GC every 1000 allocations makes it run for hours. */
    static final int HAVLAK_FULL_GC_EVERY = 20_000;

    public record Result(int runs, List<String> failures) {}

    private GcTorture() {}

    public static Result run(Path testsDir, Path awfy, List<String> benchmarks, int fullGcEvery, List<Boolean> jitModes, PrintStream out) throws IOException {
        HeapConfig heap = HeapConfig.defaults().withGcTorture(true, fullGcEvery).withVerifyHeap(true);
        List<String> failures = new ArrayList<>();
        int[] runs = {0};
        for (boolean jit : jitModes) {
            String mode = jit ? "jit=on" : "jit=off";
            JitSettings.during(jit ? "on" : "off", 1, () -> {
                if (testsDir != null) {
                    for (Path t : LangTest.testsUnder(testsDir)) {
                        long t0 = System.nanoTime();
                        String why = LangTest.check(LangTest.expectation(java.nio.file.Files.readString(t)), LangTest.run(t, List.of(), heap, 600_000));
                        runs[0]++;
                        report(out, t.getFileName().toString(), mode, why, t0, failures);
                    }
                }
                if (awfy != null) {
                    Path folder = AreWeFastYet.folder(awfy);
                    for (AreWeFastYet.Benchmark b : AreWeFastYet.ALL) {
                        if (!benchmarks.isEmpty() && !benchmarks.contains(b.name())) continue;
                        HeapConfig h = b.name().equals("Havlak") ? heap.withGcTorture(true, Math.max(fullGcEvery, HAVLAK_FULL_GC_EVERY)) : heap;
                        long t0 = System.nanoTime();
                        runs[0]++;
                        report(out, b.name() + " (inner " + b.smokeInner() + ")", mode, awfyOnce(folder, b, h), t0, failures);
                    }
                }
                return null;
            });
        }
        return new Result(runs[0], failures);
    }

    private static void report(PrintStream out, String what, String mode, String why, long t0, List<String> failures) {
        double s = (System.nanoTime() - t0) / 1e9;
        if (why == null) out.printf("  ok      %-34s %s  %6.1f s%n", what, mode, s);
        else {
            out.printf("  FAILED  %-34s %s  %6.1f s: %s%n", what, mode, s, why);
            failures.add(what + " " + mode + ": " + why);
        }
    }

    /** One outer iteration through AWFY's own harness; null when it verified. */
    private static String awfyOnce(Path folder, AreWeFastYet.Benchmark b, HeapConfig heap) {
        var bytes = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             VM vm = VM.boot(new VM.Options(AreWeFastYet.classPath(folder), heap, 64L << 20, o, o))) {
            int code = vm.run(List.of("Harness", b.name(), "1", String.valueOf(b.smokeInner())));
            String printed = bytes.toString(StandardCharsets.UTF_8);
            if (code == 0 && printed.contains(b.name() + ": iterations=1 average:")) return null;
            return "exit " + code + ": " + last(printed);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String last(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "(no output)" : lines[lines.length - 1];
    }
}
