package dev.lemming.interpreter;

import dev.lemming.interpreter.testing.LangTest;
import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Lemming's SOM test programs (tests/som, the same files `lemming test` runs), each stating its
 * expected output in its header, on Lemming's own core library: plainly, and under GC torture
 * with heap verification (the output must not change).
 */
class ProgramsTest {
    static final Path DIR = Path.of("../tests/som");

    static Stream<Arguments> programs() throws Exception {
        return LangTest.testsIn(DIR).stream().flatMap(f -> Stream.of(Arguments.of(f.getFileName().toString(), "plain"),
                Arguments.of(f.getFileName().toString(), "gc-torture")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("programs")
    void programDoesWhatItsHeaderSays(String file, String mode) throws Exception {
        boolean torture = mode.equals("gc-torture");
        if (torture && (file.equals("Recursion.som") || file.equals("Runaway.som"))) return; // minutes under torture, nothing new
        HeapConfig heap = torture
                ? HeapConfig.defaults().withYoung(256 << 10, 128 << 10).withGcTorture(true, 100).withVerifyHeap(true)
                : HeapConfig.defaults();
        Path test = DIR.resolve(file);
        LangTest.Outcome o = LangTest.run(test, List.of(), heap, 120_000);
        assertNull(LangTest.check(LangTest.expectation(Files.readString(test)), o));
    }
}
