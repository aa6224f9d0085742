package dev.lemming.jit;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.memory.object.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The interpreter answers nil tests and accessor sends without a send (Quickened). Machine code
 * must not exit at those sites every time: it tests for nil itself (MethodMirror.tierCode), and
 * its accessor sends are linked by the interpreter's send, which a compiled method's sites
 * therefore use again (JIT List was 14 times slower). Counted, not timed: the entries into
 * machine code from the interpreter.
 */
class QuickenedSendsLinkTest {
    @TempDir Path dir;

    @Test
    void aCompiledMethodsNilTestsAndAccessorSendsAreLinkedNotExitedAtEveryTime() throws Exception {
        Files.writeString(dir.resolve("Cell.som"), """
                Cell = ( | value next |
                  value = ( ^ value )  value: v = ( value := v )
                  next = ( ^ next )  next: c = ( next := c )
                  ----
                  chain: n = ( | head | 1 to: n do: [ :i | | c | c := self new. c value: i. c next: head. head := c ]. ^ head )
                  sum: head = ( | c s | c := head. s := 0.
                    [ c isNil ] whileFalse: [ s := s + c value. c value: c value. c := c next ]. ^ s )
                )
                """);
        System.setProperty(JitSettings.ENABLED, "on");
        System.setProperty(JitSettings.THRESHOLD, "2");
        try (VM vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err))) {
            var in = vm.interpreter;
            long cell = vm.loader.load("Cell");
            long head = in.send(in.u.symbol("chain:"), cell, Tags.smallInteger(1000));
            long sum = in.u.symbol("sum:");
            // the interpreter quickens the sites in its first runs, then the tier compiles sum:
            for (int i = 0; i < 5; i++) assertEquals(Tags.smallInteger(500500), in.send(sum, cell, head));
            X86Tier tier = (X86Tier) in.tier();
            assertNotNull(tier.compiledMethod(in.lookup(in.heap.classIndexOf(cell), sum)), "sum: compiled");
            long before = tier.stats.entries;
            for (int i = 0; i < 10; i++) assertEquals(Tags.smallInteger(500500), in.send(sum, cell, head));
            long entries = tier.stats.entries - before;
            // one entry per call; exiting at a send that is never linked would make it one or more per cell
            assertTrue(entries < 100, entries + " entries into machine code for 10 loops over 1000 cells");
        } finally {
            System.clearProperty(JitSettings.ENABLED);
            System.clearProperty(JitSettings.THRESHOLD);
        }
    }
}
