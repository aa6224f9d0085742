package dev.lemming.launcher;

import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.testing.LangTest;
import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's SOM test programs (tests/som and tests/ffi) with the JIT on and every method
 * compiled on its first call (and, once, on its third): they must print what their headers say,
 * exactly as interpreted.
 * Plainly, under --gc-torture --verify-heap (machine code that kept a reference the collector
 * cannot see would be caught), and with a small eden and --verify-heap (machine code's own
 * allocations meet scavenges).
 */
class JitProgramsTest {
    @BeforeAll static void jitOn() {
        System.setProperty(JitSettings.ENABLED, "on");
        System.setProperty(JitSettings.THRESHOLD, "1");
    }

    @AfterAll static void jitOff() {
        System.clearProperty(JitSettings.ENABLED);
        System.clearProperty(JitSettings.THRESHOLD);
    }

    static Stream<Arguments> programs() throws Exception {
        return Stream.of("../tests/som", "../tests/ffi").flatMap(dir -> {
            try {
                return LangTest.testsIn(Path.of(dir)).stream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).flatMap(f -> Stream.of(Arguments.of(f.toString(), "jit"), Arguments.of(f.toString(), "jit + gc-torture"),
                Arguments.of(f.toString(), "jit + small eden + verify-heap"), Arguments.of(f.toString(), "jit + 32 KB code zone"),
                Arguments.of(f.toString(), "jit at the third call")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("programs")
    void compiledProgramDoesWhatItsHeaderSays(String file, String mode) throws Exception {
        // torture collects at every allocation, so machine code allocates nothing there; a small eden
        // makes machine code's own allocations fill eden and meet scavenges, verified after each
        HeapConfig heap = switch (mode) {
            case "jit + gc-torture" -> HeapConfig.defaults().withYoung(256 << 10, 128 << 10).withGcTorture(true, 100).withVerifyHeap(true);
            case "jit + small eden + verify-heap" -> HeapConfig.defaults().withYoung(128 << 10, 64 << 10).withVerifyHeap(true);
            default -> HeapConfig.defaults();
        };
        Path test = Path.of(file);
        // a code zone that fills again and again: every method is evicted and compiled anew, with
        // frames of evicted methods on the stack (they return into the interpreter)
        if (mode.contains("code zone")) System.setProperty("lemming.jit.zone", Integer.toString(32 << 10));
        // compiled after two interpreted calls: machine code specialized to the classes the
        // interpreter's inline caches saw (trivial sends answered behind a class check)
        if (mode.contains("third call")) System.setProperty(JitSettings.THRESHOLD, "3");
        LangTest.Outcome o;
        try {
            o = LangTest.run(test, List.of(), heap, 300_000);
        } finally {
            System.clearProperty("lemming.jit.zone");
            System.setProperty(JitSettings.THRESHOLD, "1");
        }
        String problem = LangTest.check(LangTest.expectation(Files.readString(test)), o);
        assertNull(problem, () -> problem + "\n--- stdout\n" + o.out() + "\n--- stderr\n" + o.err());
    }

    /**
     * Machine code sends with native calls, one return address each on the thread's stack: on a
     * thread of 512 KB, Recursion.som's 100,000 nested sends (800 KB of return addresses) would
     * run off the stack and crash the JVM unless sends stop calling natively at the enter
     * routine's limit and go on through the interpreter.
     */
    @Test
    void deepRecursionInMachineCodeOnASmallThreadStack() throws Exception {
        Path test = Path.of("../tests/som/Recursion.som");
        LangTest.Outcome o = LangTest.run(test, List.of(), HeapConfig.defaults(), 300_000, 512 << 10);
        String problem = LangTest.check(LangTest.expectation(Files.readString(test)), o);
        assertNull(problem, () -> problem + "\n--- stdout\n" + o.out() + "\n--- stderr\n" + o.err());
    }

    /**
     * A time limit (the interpreter's interrupt) stops a program that runs in machine code
     * without a back jump: fib: 45 would send for far longer than the limit. Back jumps read the
     * interrupt flag; sends read no flag, but fail their stack check, for the interrupt also
     * sets the stack limit machine code reads to 0 (JitState.interrupt).
     */
    @Test
    void anInterruptStopsCompiledCodeThatOnlySends(@TempDir Path dir) throws Exception {
        Path test = dir.resolve("Forever.som");
        Files.writeString(test, """
                Forever = (
                  fib: n = ( n < 2 ifTrue: [ ^ n ]. ^ (self fib: n - 1) + (self fib: n - 2) )
                  run = ( 'started' println. (self fib: 45) println )
                )
                """);
        LangTest.Outcome o = LangTest.run(test, List.of(), HeapConfig.defaults(), 1500);
        assertTrue(o.out().startsWith("started\n"), o.out() + o.err());
        assertTrue(o.out().contains("interrupted") && o.err().contains("Forever>>#fib:"), o.out() + o.err());
    }
}
