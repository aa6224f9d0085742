package dev.lemming.jit;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.jit.disasm.Disassembler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Which float operations keep their result for the next (float_remember) and which take an
 * operand from it (float_cached_rax, float_cached_rcx): tests/som/FloatChains.som checks that
 * the values are right either way; this checks that the chains are found, so that losing them
 * shows as a failure and not only as a slower Mandelbrot.
 */
class FloatChainsTest {
    private static VM vm;

    @BeforeAll static void boot() throws Exception {
        Path dir = Files.createTempDirectory("chains");
        Files.writeString(dir.resolve("Chains.som"), """
                Chains = (
                  chain: a with: b with: c = ( ^ a - b + c )
                  long: x with: y with: z = ( ^ 2.0 * x * y + z )
                  kept: a times: b = ( | zr zi | zr := a * b. zi := 2.0 * zr. ^ zi )
                  compare: a with: b = ( ^ a + b > 4.0 )
                  square: a = ( | s | s := a + 1.5. ^ s * s )
                  broken: a with: b = ( ^ (a - b) abs + 1.0 )
                  skipped: a with: b = ( | t | t := a * b. b + 1.0. ^ t + 2.0 )
                  stale: a with: b = ( | t u v | t := a * b. u := b + 1.0. v := u * 2.0. ^ t + v )
                  loop: a = ( | zr zi zrzr zizi | zr := zi := zrzr := zizi := 0.0. 1 to: 10 do: [ :i |
                    zr := zrzr - zizi + a. zi := 2.0 * zr * zi + a. zrzr := zr * zr. zizi := zi * zi.
                    zrzr + zizi > 4.0 ifTrue: [ ^ i ] ]. ^ 0 )
                  nothing: a with: b = ( ^ a + b )
                )
                """);
        System.setProperty(JitSettings.ENABLED, "on");
        vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err));
    }

    @AfterAll static void shutDown() {
        vm.close();
        System.clearProperty(JitSettings.ENABLED);
    }

    @ParameterizedTest(name = "{0}: {1} kept, {2} taken from rax, {3} from rcx")
    @CsvSource({
            "chain:with:with:, 1, 1, 0",   // a - b, kept for + c
            "long:with:with:, 2, 2, 0",    // 2.0 * x, then * y; + z takes the second
            "kept:times:, 1, 0, 1",        // zr, stored and loaded again as 2.0 * zr's argument
            "compare:with:, 1, 1, 0",      // a + b, the receiver of > 4.0 (which keeps nothing)
            "square:, 1, 1, 0",            // s * s: both operands from the kept value
            "broken:with:, 0, 0, 0",       // a send between them may keep another value
            "skipped:with:, 1, 1, 0",      // b + 1.0 is taken by nobody, so t is still the kept result
            "stale:with:, 2, 1, 1",        // t is no longer kept at t + v (u was, then v); v is
            // Mandelbrot's loop: all but zrzr - zizi (after the loop's head, a jump target) and zr * zr
            // (zi was kept after zr) take an operand kept, and zi * zi takes it as both
            "loop:, 7, 5, 2",
            "nothing:with:, 0, 0, 0"})
    void findsTheOperandsThatTheOperationBeforeMade(String selector, int kept, int fromRax, int fromRcx) throws Exception {
        var in = vm.interpreter;
        long cls = vm.loader.load("Chains");
        var m = in.mirrorOf(in.lookupInClass(cls, vm.universe.symbol(selector)));
        X86Tier tier = (X86Tier) in.tier();
        tier.compile(m);
        String listing = Disassembler.listing(in, tier, tier.compiledMethod(m));
        assertEquals(kept, count(listing, "; float_remember"), listing);
        assertEquals(fromRax, count(listing, "; float_cached_rax"), listing);
        assertEquals(fromRcx, count(listing, "; float_cached_rcx"), listing);
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
