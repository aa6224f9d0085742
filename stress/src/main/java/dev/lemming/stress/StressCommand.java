package dev.lemming.stress;

import dev.lemming.launcher.Command;
import dev.lemming.launcher.CommandOptions;
import dev.lemming.launcher.HeapOptions;
import dev.lemming.launcher.UsageException;
import dev.lemming.memory.HeapConfig;
import dev.lemming.stress.heap.HeapWorkout;
import dev.lemming.stress.heap.WorkoutConfigs;
import dev.lemming.stress.scenario.SomScenario;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `lemming stress SCENARIO [options]`: long runs of the classic VM failure modes. */
public final class StressCommand implements Command {
    @Override public String name() { return "stress"; }
    @Override public String summary() { return "run a stress scenario: heap-workout [--seeds N] [--first-seed S] [--steps N] | callback-unwind [--iterations N] [--seed S] | jit-differential [--iterations N] [--seed S] | retained-pointer [--iterations N] | gc-torture [--awfy PATH] [--full-gc-every N] [--tier interpreter|jit|both] [BENCHMARK...] | image-saves [--iterations STEPS] | fault-injection"; }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        List<String> args = new ArrayList<>(argv);
        if (args.isEmpty()) throw new UsageException("usage: lemming stress heap-workout [--seeds N] [--first-seed S] [--steps N] [heap options]\n"
                + "       lemming stress callback-unwind [--iterations N] [--seed S] [heap options]\n"
                + "       lemming stress jit-differential [--iterations N] [--seed S] [heap options]\n"
                + "       lemming stress retained-pointer [--iterations N] [heap options]\n"
                + "       lemming stress gc-torture [--awfy PATH] [--full-gc-every N] [--tier interpreter|jit|both] [BENCHMARK...]\n"
                + "       lemming stress image-saves [--iterations STEPS] [heap options]\n"
                + "       lemming stress fault-injection");
        String scenario = args.remove(0);
        if (scenario.equals("image-saves")) return imageSaves(args, out); // its processes take the heap options as given
        if (scenario.equals("fault-injection")) return faultInjection(out);
        HeapConfig modes = HeapOptions.parse(args, HeapConfig.defaults());
        return switch (scenario) {
            case "heap-workout" -> heapWorkout(args, modes, out);
            case "callback-unwind" -> callbackUnwind(args, modes, out, err);
            case "jit-differential" -> jitDifferential(args, modes, out);
            case "retained-pointer" -> retainedPointer(args, modes, out);
            case "gc-torture" -> gcTorture(args, out);
            default -> throw new UsageException("unknown stress scenario '" + scenario + "' (known: heap-workout, callback-unwind, jit-differential, retained-pointer, gc-torture, image-saves, fault-injection)");
        };
    }

    private static int heapWorkout(List<String> args, HeapConfig modes, PrintStream out) throws Exception {
        int seeds = CommandOptions.takeInt(args, "--seeds", 100);
        long first = CommandOptions.takeInt(args, "--first-seed", 1);
        int steps = CommandOptions.takeInt(args, "--steps", 3000);
        if (!args.isEmpty()) throw new UsageException("heap-workout: unknown arguments " + args);
        Path dir = Files.createTempDirectory("lemming-workout");
        if (modes.lemming()) modes = modes.withLemming(true, dir);
        out.printf("heap-workout: %d seeds from %d, %d steps each%s%s%s%n", seeds, first, steps,
                modes.lemming() ? ", --lemming" : "", modes.verifyHeap() ? ", --verify-heap" : "", modes.gcTorture() ? ", --gc-torture" : "");
        long t0 = System.nanoTime();
        int failed = 0;
        long collections = 0, trips = 0, checks = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            HeapWorkout.Result r = HeapWorkout.run(seed, new HeapWorkout.Options(steps, WorkoutConfigs.forSeed(seed, modes), dir));
            collections += r.collections();
            trips += r.imageRoundTrips();
            checks += r.checks();
            if (!r.passed()) {
                failed++;
                out.println("FAILED " + r.failure());
            }
            if ((seed - first + 1) % 100 == 0) out.printf("  %d seeds, %d failed, %.0f s%n", seed - first + 1, failed, (System.nanoTime() - t0) / 1e9);
        }
        out.printf("heap-workout: %d collections, %d image round trips, %d model checks in %.1f s%n", collections, trips, checks, (System.nanoTime() - t0) / 1e9);
        out.printf("heap-workout: %d passed, %d failed%n", seeds - failed, failed);
        return failed == 0 ? 0 : 1;
    }

    /** Random nested qsort callbacks that return, return non-locally or raise at random depths (scenarios/CallbackUnwind.som). */
    private static int callbackUnwind(List<String> args, HeapConfig modes, PrintStream out, PrintStream err) throws Exception {
        int iterations = CommandOptions.takeInt(args, "--iterations", 10_000);
        int seed = CommandOptions.takeInt(args, "--seed", 1);
        if (!args.isEmpty()) throw new UsageException("callback-unwind: unknown arguments " + args);
        long t0 = System.nanoTime();
        int code = SomScenario.run("CallbackUnwind", List.of("CallbackUnwind", "StressSignal"),
                List.of(String.valueOf(iterations), String.valueOf(seed)), modes, out, err);
        out.printf("callback-unwind: seed %d, %.1f s, exit %d%n", seed, (System.nanoTime() - t0) / 1e9, code);
        return code;
    }

    /** Generated programs, interpreted and compiled at first call: the same output or a kept reproducer. */
    private static int jitDifferential(List<String> args, HeapConfig modes, PrintStream out) throws Exception {
        int iterations = CommandOptions.takeInt(args, "--iterations", 1000);
        int seed = CommandOptions.takeInt(args, "--seed", 1);
        if (!args.isEmpty()) throw new UsageException("jit-differential: unknown arguments " + args);
        Path keep = Path.of("jit-differential-failures");
        long t0 = System.nanoTime();
        var r = dev.lemming.stress.jit.JitDifferential.run(seed, iterations, modes, keep, out);
        for (String f : r.firstFailures()) out.println("MISMATCH " + f + " (outputs beside it)");
        out.printf("jit-differential: seed %d, %d programs, %d mismatches, %.1f s%n", seed, r.programs(), r.mismatches(), (System.nanoTime() - t0) / 1e9);
        return r.mismatches() == 0 ? 0 : 1;
    }

    /** setvbuf keeps an unpinned ByteArray: --ffi-check must report every unpinned run and pass every pinned one. */
    private static int retainedPointer(List<String> args, HeapConfig modes, PrintStream out) throws Exception {
        int iterations = CommandOptions.takeInt(args, "--iterations", 20);
        if (!args.isEmpty()) throw new UsageException("retained-pointer: unknown arguments " + args);
        int reported = 0, clean = 0;
        double detect = 0;
        String first = null;
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            var unpinned = dev.lemming.stress.scenario.RetainedPointer.once(false, modes);
            if (unpinned.reported()) {
                reported++;
                detect += unpinned.seconds();
                if (first == null) first = unpinned.report();
            } else out.println("MISSED: the unpinned buffer was not reported: " + unpinned.report().strip());
            var pinned = dev.lemming.stress.scenario.RetainedPointer.once(true, modes);
            if (pinned.clean()) clean++;
            else out.println("FALSE ALARM or failure with the buffer pinned: " + pinned.report().strip());
        }
        if (first != null) out.println("report: " + first);
        out.printf("retained-pointer: %d of %d unpinned runs reported (mean %.2f s from VM start to the report), %d of %d pinned runs clean, %.1f s%n",
                reported, iterations, reported == 0 ? 0 : detect / reported, clean, iterations, (System.nanoTime() - t0) / 1e9);
        return reported == iterations && clean == iterations ? 0 : 1;
    }

    /** tests/som, tests/ffi and (given a path) AWFY under --gc-torture --verify-heap, JIT off and on. */
    private static int gcTorture(List<String> args, PrintStream out) throws Exception {
        int every = CommandOptions.takeInt(args, "--full-gc-every", 1000);
        String awfy = CommandOptions.take(args, "--awfy");
        // not --jit: the launcher takes --jit=... for itself, for every command
        String tier = CommandOptions.take(args, "--tier");
        List<Boolean> modes = tier == null || tier.equals("both") ? List.of(false, true)
                : switch (tier) { case "jit" -> List.of(true); case "interpreter" -> List.of(false);
                    default -> throw new UsageException("--tier takes interpreter, jit or both"); };
        for (String a : args) if (a.startsWith("-")) throw new UsageException("gc-torture: unknown option " + a);
        String home = System.getProperty("lemming.home", ".");
        Path tests = args.isEmpty() ? Path.of(home, "tests") : null; // benchmarks named: only those
        if (tests != null && !Files.isDirectory(tests)) throw new UsageException("gc-torture: no tests directory at " + tests);
        long t0 = System.nanoTime();
        var r = dev.lemming.stress.scenario.GcTorture.run(tests, awfy == null ? null : Path.of(awfy), args, every, modes, out);
        out.printf("gc-torture: %d runs, %d failed, %.1f s (full GC every %d allocations, a scavenge at every one, heap verified around each)%n",
                r.runs(), r.failures().size(), (System.nanoTime() - t0) / 1e9, every);
        return r.failures().isEmpty() ? 0 : 1;
    }

    /** Each guard removed in turn against its detector: the table of stress/README.md. */
    private static int faultInjection(PrintStream out) throws Exception {
        out.println("| guard removed | detector | caught? | time to detection | what the detector said |");
        out.println("|---|---|---|---|---|");
        boolean all = true;
        for (var injection : dev.lemming.stress.injection.Injections.all()) {
            var o = injection.call();
            all &= o.caught();
            out.printf("| %s | %s | %s | %.2f s | %s |%n", o.guard(), o.detector(), o.caught() ? "yes" : "NO", o.seconds(), o.report().replace("|", "/"));
        }
        return all ? 0 : 1;
    }

    /** Default heap: 1 MB segments and eden, a compaction buffer of 64 objects, heap verified. */
    static final List<String> IMAGE_SAVES_HEAP = List.of("--segment=1m", "--eden=1m", "--compaction-buffer=64", "--verify-heap");

    /** A growing graph saved as an image after every step; every tenth image resumed in a fresh process and checked. */
    private static int imageSaves(List<String> args, PrintStream out) throws Exception {
        int steps = CommandOptions.takeInt(args, "--iterations", 400);
        List<String> heap = new ArrayList<>();
        for (String a : new ArrayList<>(args)) if (a.startsWith("--")) { heap.add(a); args.remove(a); }
        HeapOptions.parse(new ArrayList<>(heap), HeapConfig.defaults()); // rejects malformed sizes now
        if (!args.isEmpty()) throw new UsageException("image-saves: unknown arguments " + args);
        if (heap.isEmpty()) heap = IMAGE_SAVES_HEAP;
        out.printf("image-saves: %d steps, heap options %s%n", steps, heap);
        var r = dev.lemming.stress.scenario.ImageSaves.run(steps, heap, out);
        for (String f : r.failures()) out.println("FAILED " + f);
        if (r.imagesChecked() > 0)
            out.printf("image-saves: %d steps saved, %d of %d images resumed with the right graph, %.1f s%n",
                    r.steps(), r.imagesChecked() - r.failures().size(), r.imagesChecked(), r.seconds());
        else out.printf("image-saves: the saving run failed, %.1f s%n", r.seconds());
        return r.failures().isEmpty() && r.imagesChecked() == r.steps() / 10 ? 0 : 1;
    }
}
