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

    /** Deep recursion needs a deep Java stack only for nested run loops; the interpreter itself is flat. */
    static Result runOnBigStack(List<Path> classPath, HeapConfig heap, String... args) {
        Result[] r = new Result[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try { r[0] = run(classPath, heap, args); } catch (RuntimeException e) { failure[0] = e; }
        }, "vm", 256L << 20);
        t.start();
        try { t.join(); } catch (InterruptedException e) { throw new IllegalStateException(e); }
        if (failure[0] != null) throw failure[0];
        return r[0];
    }
}
