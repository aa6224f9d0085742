package dev.lemming.interpreter;

import dev.lemming.memory.HeapConfig;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Runs a SOM program in a fresh VM in this JVM and captures what it printed. */
final class ProgramRunner {
    record Result(int exitCode, String out, String err) {}

    static Result run(List<Path> classPath, HeapConfig heap, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true); PrintStream e = new PrintStream(err, true);
             VM vm = VM.boot(new VM.Options(classPath, heap, 64L << 20, o, e))) {
            int code = vm.run(List.of(args));
            o.flush();
            return new Result(code, out.toString(), err.toString());
        }
    }
}
