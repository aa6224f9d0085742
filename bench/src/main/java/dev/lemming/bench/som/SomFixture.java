package dev.lemming.bench.som;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A VM booted once per trial with one SOM class written to a temporary class path. */
public final class SomFixture implements AutoCloseable {
    public final VM vm;
    public final long instance;
    private final Path dir;

    public SomFixture(String className, String source) throws IOException { this(className, source, null); }

    /**
     * jit: "off" for the interpreter alone, "on" for the JIT with every method compiled at its
     * first call (the benchmarks' {@code jit} parameter); null boots with the JIT properties as they are.
     */
    public SomFixture(String className, String source, String jit) throws IOException {
        dir = Files.createTempDirectory("lemming-bench");
        Files.writeString(dir.resolve(className + ".som"), source);
        var options = VM.Options.defaults(List.of(dir), System.out, System.err);
        vm = jit == null ? VM.boot(options) : JitSettings.during(jit, 1, () -> VM.boot(options));
        long cls = vm.loader.load(className);
        // pinned (which tenures it: pin answers the new address): the benchmark keeps it in a Java field across collections
        instance = vm.heap.pin(vm.interpreter.send(vm.universe.symbol("new"), cls));
    }

    public long send(String selector, long... args) { return vm.interpreter.send(vm.universe.symbol(selector), instance, args); }

    @Override
    public void close() throws IOException {
        vm.close();
        try (var files = Files.list(dir)) { for (Path f : files.toList()) Files.delete(f); }
        Files.delete(dir);
    }
}
