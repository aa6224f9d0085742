package dev.lemming.interpreter.exec;

import dev.lemming.interpreter.VM;
import dev.lemming.memory.object.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Activations and back jumps are counted for the JIT's threshold; without a tier that count must never end the program. */
class ActivationCountTest {
    @TempDir Path dir;

    @Test
    void withoutATierTheCountStartsOverInsteadOfReachingTheThreshold() throws Exception {
        Files.writeString(dir.resolve("Spin.som"), "Spin = ( loop = ( | i | i := 0. [ i < 100 ] whileTrue: [ i := i + 1 ]. ^ i ) )");
        try (VM vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err))) {
            Interpreter in = vm.interpreter;
            long spin = in.send(in.u.symbol("new"), vm.loader.load("Spin"));
            long loop = in.u.symbol("loop");
            assertEquals(Tags.smallInteger(100), in.send(loop, spin));
            MethodMirror m = in.lookup(in.heap.classIndexOf(spin), loop);
            // as after two billion back jumps of a long run: the next hundred pass the int's end
            // (the interpreter used to hand the method to the absent tier there, a NullPointerException)
            m.invocations = Integer.MAX_VALUE - 10;
            assertEquals(Tags.smallInteger(100), in.send(loop, spin));
            assertTrue(m.invocations >= 0 && m.invocations < 200, "count started over: " + m.invocations);
        }
    }
}
