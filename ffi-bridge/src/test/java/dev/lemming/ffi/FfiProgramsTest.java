package dev.lemming.ffi;

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
 * The FFI's SOM test programs (tests/ffi: real libc and libm calls, qsort/bsearch callbacks,
 * unwinding across native frames, errors), each stating its expected output in its header: run
 * plainly, and under GC torture with heap verification, where every allocation in a callback
 * collects while native frames are on the stack.
 */
class FfiProgramsTest {
    static final Path DIR = Path.of("../tests/ffi");

    static Stream<Arguments> programs() throws Exception {
        return LangTest.testsIn(DIR).stream().flatMap(f -> Stream.of(Arguments.of(f.getFileName().toString(), "plain"),
                Arguments.of(f.getFileName().toString(), "gc-torture")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("programs")
    void programDoesWhatItsHeaderSays(String file, String mode) throws Exception {
        HeapConfig heap = mode.equals("gc-torture")
                ? HeapConfig.defaults().withYoung(256 << 10, 128 << 10).withGcTorture(true, 100).withVerifyHeap(true)
                : HeapConfig.defaults();
        Path test = DIR.resolve(file);
        LangTest.Outcome o = LangTest.run(test, List.of(), heap, 300_000);
        assertNull(LangTest.check(LangTest.expectation(Files.readString(test)), o));
    }
}
