package dev.lemming.launcher;

import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.testing.LangTest;
import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The project's SOM test programs (tests/som and tests/ffi) with the JIT on and every method
 * compiled on its first call: they must print what their headers say, exactly as interpreted.
 * Once plainly and once under --gc-torture --verify-heap, so machine code that kept a reference
 * the collector cannot see would be caught.
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
        }).flatMap(f -> Stream.of(Arguments.of(f.toString(), "jit"), Arguments.of(f.toString(), "jit + gc-torture")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("programs")
    void compiledProgramDoesWhatItsHeaderSays(String file, String mode) throws Exception {
        HeapConfig heap = mode.contains("torture")
                ? HeapConfig.defaults().withYoung(256 << 10, 128 << 10).withGcTorture(true, 100).withVerifyHeap(true)
                : HeapConfig.defaults();
        Path test = Path.of(file);
        LangTest.Outcome o = LangTest.run(test, List.of(), heap, 300_000);
        assertNull(LangTest.check(LangTest.expectation(Files.readString(test)), o));
    }
}
