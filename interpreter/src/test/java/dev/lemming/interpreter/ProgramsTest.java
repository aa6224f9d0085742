package dev.lemming.interpreter;

import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The SOM programs in src/test/resources/programs, each with its expected output (or error) in
 * its header comment, run on Lemming's own core library: plainly, and under GC torture with
 * heap verification (the output must not change).
 */
class ProgramsTest {
    static Path dir() throws URISyntaxException {
        return Path.of(ProgramsTest.class.getResource("/programs").toURI());
    }

    static Stream<Arguments> programs() throws Exception {
        List<Path> files;
        try (var s = Files.list(dir())) { files = s.filter(f -> f.toString().endsWith(".som")).sorted().toList(); }
        return files.stream().flatMap(f -> Stream.of(Arguments.of(f.getFileName().toString(), "plain"),
                Arguments.of(f.getFileName().toString(), "gc-torture")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("programs")
    void programPrintsWhatItsHeaderExpects(String file, String mode) throws Exception {
        String src = Files.readString(dir().resolve(file));
        String name = file.substring(0, file.length() - 4);
        HeapConfig heap = mode.equals("plain") ? HeapConfig.defaults()
                : HeapConfig.defaults().withYoung(256 << 10, 128 << 10).withGcTorture(true, 100).withVerifyHeap(true);
        if (mode.equals("gc-torture") && (name.equals("Recursion") || name.equals("Runaway"))) return; // minutes under torture, nothing new
        ProgramRunner.Result r = ProgramRunner.runOnBigStack(List.of(dir()), heap, name);
        Matcher out = Pattern.compile("\"Expected output:\\n(.*?)\"", Pattern.DOTALL).matcher(src);
        Matcher err = Pattern.compile("\"Expected error: (.*?)\"").matcher(src);
        if (out.find()) {
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(out.group(1), r.out());
        } else {
            assertTrue(err.find(), "the header says what to expect");
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue((r.out() + r.err()).contains(err.group(1)), r.out() + r.err());
            assertFalse(r.err().contains("\tat "), "no Java stack trace");
        }
    }

    static String read(Path p) {
        try { return Files.readString(p); } catch (IOException e) { throw new IllegalStateException(e); }
    }
}
