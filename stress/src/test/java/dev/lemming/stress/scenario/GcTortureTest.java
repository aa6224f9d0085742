package dev.lemming.stress.scenario;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short form of `lemming stress gc-torture`: the FFI test programs (callbacks, unwinding,
 * pinning: where a moved object hurts most) under --gc-torture --verify-heap, JIT off and on.
 * The long form adds tests/som and SOM-st/SOM's AWFY (see stress/README.md).
 */
class GcTortureTest {
    @Test
    void ffiProgramsPassUnderTortureWithAndWithoutTheJit() throws Exception {
        var bytes = new ByteArrayOutputStream();
        Path ffi = Path.of("").toAbsolutePath().getParent().resolve("tests/ffi");
        var r = GcTorture.run(ffi, null, List.of(), 200, List.of(false, true), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(), r.failures(), printed);
        assertTrue(r.runs() >= 8, printed);
    }
}
