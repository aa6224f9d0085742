package dev.lemming.stress.injection;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.memory.FaultInjection;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.HeapException;
import dev.lemming.stress.heap.HeapWorkout;
import dev.lemming.stress.heap.WorkoutConfigs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Each guard removed on purpose (memory's {@link FaultInjection}), run against the detector meant
 * to catch that class of bug: whether it did, what it said, and how long it took. The JIT's own
 * injection (an add without its overflow exit) is in JitDifferentialTest.
 */
public final class Injections {
    public record Outcome(String guard, String detector, boolean caught, String report, double seconds) {}

    private Injections() {}

    public static List<Callable<Outcome>> all() {
        return List.of(Injections::writeBarrier, Injections::staleCompactionPass, Injections::untaggedFrameSlot,
                Injections::staleReferenceAcrossAllocation, Injections::unpinnedFfiArgument);
    }

    /** Every 50th old-to-young store forgets to remember the old object. */
    public static Outcome writeBarrier() throws IOException {
        return workout("write barrier skipped for every 50th old-to-young store", "--verify-heap",
                () -> FaultInjection.skipWriteBarrierEvery = 50, HeapConfig.defaults().withVerifyHeap(true), "write barrier");
    }

    /** Compaction passes after the first put each moved object's slot 0 back from the next buffer entry. */
    public static Outcome staleCompactionPass() throws IOException {
        return workout("compaction pass 2+ with a stale buffer index", "heap-workout model",
                () -> FaultInjection.staleCompactionPass = true, HeapConfig.defaults(), "");
    }

    /** Heap workouts (seeds from 1) until one fails; caught when its failure contains {@code expect}. */
    private static Outcome workout(String guard, String detector, Runnable inject, HeapConfig modes, String expect) throws IOException {
        Path dir = Files.createTempDirectory("lemming-injection");
        long t0 = System.nanoTime();
        try {
            inject.run();
            for (long seed = 1; seed <= 200; seed++) {
                HeapWorkout.Result r;
                try {
                    r = HeapWorkout.run(seed, new HeapWorkout.Options(600, WorkoutConfigs.forSeed(seed, modes), dir));
                } catch (HeapException e) {
                    return outcome(guard, detector, e.getMessage().contains(expect), "seed " + seed + ": " + e.getMessage(), t0);
                }
                if (!r.passed()) return outcome(guard, detector, r.failure().contains(expect), "seed " + seed + ": " + r.failure(), t0);
            }
            return outcome(guard, detector, false, "200 workouts passed", t0);
        } finally {
            FaultInjection.reset();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** A method whose last temporary starts as a raw word (0x1000) instead of nil, under --gc-torture --verify-heap. */
    public static Outcome untaggedFrameSlot() throws IOException {
        return som("untagged word in a frame slot", "--verify-heap (roots)", () -> FaultInjection.untaggedTempInMethod = "leaky", """
                    Leak = (
                      run = ( 1 to: 50 do: [:i | self leaky ]. 'no report' println )
                      leaky = ( | a b | a := Array new: 10. b := a length. ^ b )
                    )
                    """, HeapConfig.defaults().withGcTorture(true, 1000).withVerifyHeap(true), "holds 0x1000");
    }

    /** String concatenate: copying from its receiver's pre-allocation address, under --gc-torture. */
    public static Outcome staleReferenceAcrossAllocation() throws IOException {
        return som("reference kept in a Java local across an allocation", "--gc-torture", () -> FaultInjection.staleReferenceAcrossAllocation = true, """
                    Leak = (
                      run = (
                        1 to: 50 do: [:i | | s t |
                          s := 'abc' , 'def'.
                          t := s , 'ghi'.
                          t = 'abcdefghi' ifFalse: [ 'concatenation copied a moved string' println. system exit: 1 ] ].
                        'no report' println )
                    )
                    """, HeapConfig.defaults().withGcTorture(true, 1000), "concatenation copied a moved string");
    }

    /** Native calls leave their heap arguments unpinned (so a collection during the call could move them). */
    public static Outcome unpinnedFfiArgument() throws IOException {
        return som("FFI argument not pinned for the call", "the FFI's pinned check", () -> FaultInjection.unpinnedFfiArgument = true, """
                    Leak = (
                      run = ( | memset buffer |
                        memset := ExternalLibrary default lookup: 'memset' returns: #pointer arguments: #(#pointer #int32 #size_t).
                        buffer := ByteArray new: 16.
                        [ memset callWith: buffer with: 65 with: 16 ] on: FFIError do: [:e | e messageText println. system exit: 1 ].
                        'no report' println )
                    )
                    """, HeapConfig.defaults(), "is not pinned");
    }

    /** Runs class Leak (interpreted: the injections sit in the interpreter and the runtime); caught when the output or the error has {@code expect}. */
    private static Outcome som(String guard, String detector, Runnable inject, String source, HeapConfig heap, String expect) throws IOException {
        Path dir = Files.createTempDirectory("lemming-injection");
        Files.writeString(dir.resolve("Leak.som"), source);
        var bytes = new ByteArrayOutputStream();
        try {
            return JitSettings.during("off", JitSettings.DEFAULT_THRESHOLD, () -> {
                inject.run(); // reset in the finally below
                long t0 = System.nanoTime();
                try (PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8);
                     VM vm = VM.boot(new VM.Options(List.of(dir), heap, 64L << 20, o, o))) {
                    vm.run(List.of("Leak"));
                    String printed = bytes.toString(StandardCharsets.UTF_8).strip();
                    return outcome(guard, detector, printed.contains(expect), printed, t0);
                } catch (HeapException e) {
                    return outcome(guard, detector, e.getMessage().contains(expect), e.getMessage(), t0);
                }
            });
        } finally {
            FaultInjection.reset();
            Files.deleteIfExists(dir.resolve("Leak.som"));
            Files.deleteIfExists(dir);
        }
    }

    private static Outcome outcome(String guard, String detector, boolean caught, String report, long t0) {
        String first = report.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse("");
        return new Outcome(guard, detector, caught, first, (System.nanoTime() - t0) / 1e9);
    }
}
