package dev.lemming.stress.jit;

import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The short form of `lemming stress jit-differential` (the long run is 10,000 programs). */
class JitDifferentialTest {
    @Test
    void generatedProgramsPrintTheSameInterpretedAndCompiled() throws Exception {
        Path keep = Files.createTempDirectory("jitdiff-failures");
        var r = JitDifferential.run(7, 150, HeapConfig.defaults(), keep, null);
        assertEquals(150, r.programs());
        assertEquals(0, r.mismatches(), "mismatching programs kept: " + r.firstFailures());
    }

    @Test
    void generatedProgramsAreValidAndVaried() {
        String p = new ProgramGenerator(3).program("GenX");
        assertTrue(p.startsWith("GenX = ("), p);
        assertNotEquals(p, new ProgramGenerator(4).program("GenX"));
        assertEquals(p, new ProgramGenerator(3).program("GenX")); // a seed reproduces its program
    }

    /** The detector is proven: a JIT that drops the overflow check of + is caught, and the program kept. */
    @Test
    void aJitThatWrapsAroundIsCaught() throws Exception {
        Path keep = Files.createTempDirectory("jitdiff-fault");
        dev.lemming.jit.compiler.FaultInjection.dropOverflowCheck = true;
        try {
            var r = JitDifferential.run(7, 150, HeapConfig.defaults(), keep, null);
            assertTrue(r.mismatches() > 0, "the injected overflow bug went unnoticed");
            assertTrue(Files.exists(Path.of(r.firstFailures().get(0))));
        } finally {
            dev.lemming.jit.compiler.FaultInjection.dropOverflowCheck = false;
        }
    }
}
