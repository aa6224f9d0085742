package dev.lemming.stress.scenario;

import dev.lemming.interpreter.VM;
import dev.lemming.memory.HeapConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stress scenario written in SOM (resources under scenarios/): its classes are copied to a
 * temporary class-path directory and its main class runs in a fresh VM with the heap modes
 * given (--verify-heap, --gc-torture ...). The program checks itself and exits non-zero on failure.
 */
public final class SomScenario {
    private SomScenario() {}

    public static int run(String mainClass, List<String> classes, List<String> args, HeapConfig heap, PrintStream out, PrintStream err) throws IOException {
        Path dir = Files.createTempDirectory("lemming-scenario");
        try {
            for (String c : classes) {
                try (InputStream in = SomScenario.class.getResourceAsStream("/scenarios/" + c + ".som")) {
                    if (in == null) throw new IllegalStateException("scenario class " + c + " is missing from the stress module");
                    Files.copy(in, dir.resolve(c + ".som"));
                }
            }
            VM.Options o = VM.Options.defaults(List.of(dir), out, err);
            o = new VM.Options(o.classPath(), heap, o.stackBytes(), out, err);
            try (VM vm = VM.boot(o)) {
                List<String> all = new ArrayList<>();
                all.add(mainClass);
                all.addAll(args);
                return vm.run(all);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }
}
