package dev.lemming.stress.jit;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.memory.HeapConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JIT's differential test: generated programs run once by the interpreter and once with
 * the JIT; their output (stdout, stderr and exit code) must be the same. Every other batch
 * compiles each method at its first call, the others at its third, after the interpreter has
 * filled its inline caches (machine code then answers trivial sends of the classes seen there
 * behind a class check, which later receivers of other classes must pass through). Programs run in batches, each batch in one interpreter VM and one JIT VM, so a
 * batch also exercises inline caches that see classes of earlier programs. A mismatching
 * program is kept in {@code keepDir} with both outputs.
 */
public final class JitDifferential {
    public record Result(int programs, int mismatches, List<String> firstFailures) {}

    private static final int BATCH = 50;

    public static Result run(long seed, int programs, HeapConfig heap, Path keepDir, PrintStream progress) throws IOException {
        Path dir = Files.createTempDirectory("lemming-jitdiff");
        int mismatches = 0;
        List<String> failures = new java.util.ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int start = 0; start < programs; start += BATCH) {
                int n = Math.min(BATCH, programs - start);
                String[] names = new String[n];
                for (int i = 0; i < n; i++) {
                    long programSeed = seed * 1_000_003L + start + i;
                    names[i] = "Gen" + Long.toHexString(programSeed).replace('-', 'm');
                    Files.writeString(dir.resolve(names[i] + ".som"), new ProgramGenerator(programSeed).program(names[i]));
                }
                String[] interpreted = runBatch(dir, names, heap, false, 1);
                String[] compiled = runBatch(dir, names, heap, true, (start / BATCH) % 2 == 0 ? 1 : 3);
                for (int i = 0; i < n; i++) {
                    if (interpreted[i].equals(compiled[i])) continue;
                    mismatches++;
                    Files.createDirectories(keepDir);
                    Files.copy(dir.resolve(names[i] + ".som"), keepDir.resolve(names[i] + ".som"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.writeString(keepDir.resolve(names[i] + ".interpreted.txt"), interpreted[i]);
                    Files.writeString(keepDir.resolve(names[i] + ".jit.txt"), compiled[i]);
                    if (failures.size() < 10) failures.add(keepDir.resolve(names[i] + ".som").toString());
                }
                if (progress != null && (start + n) % 1000 == 0)
                    progress.printf("  %d programs, %d mismatches, %.0f s%n", start + n, mismatches, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        return new Result(programs, mismatches, failures);
    }

    /** Each program's stdout, stderr and exit code, in one VM of the given tier (compiling at the given call). */
    private static String[] runBatch(Path dir, String[] names, HeapConfig heap, boolean jit, int threshold) {
        return JitSettings.during(jit ? "on" : "off", threshold, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            String[] results = new String[names.length];
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
                 VM vm = VM.boot(new VM.Options(List.of(dir), heap, 64L << 20, o, e))) {
                for (int i = 0; i < names.length; i++) {
                    int code = vm.run(List.of(names[i]));
                    o.flush();
                    e.flush();
                    results[i] = out.toString(StandardCharsets.UTF_8) + "\n--- stderr\n" + err.toString(StandardCharsets.UTF_8) + "\n--- exit " + code;
                    out.reset();
                    err.reset();
                }
            }
            return results;
        });
    }
}
