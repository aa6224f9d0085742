package dev.lemming.interpreter;

import dev.lemming.interpreter.exec.Exit;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.exec.SmalltalkError;
import dev.lemming.interpreter.primitives.ExceptionPrimitives;
import dev.lemming.interpreter.primitives.NumberPrimitives;
import dev.lemming.interpreter.primitives.ObjectPrimitives;
import dev.lemming.interpreter.primitives.StringPrimitives;
import dev.lemming.interpreter.primitives.SystemPrimitives;
import dev.lemming.interpreter.runtime.ClassLoader;
import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.roots.Handle;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** One SOM virtual machine: a heap, the classes in it, and an interpreter. */
public final class VM implements AutoCloseable {
    public record Options(List<Path> classPath, HeapConfig heap, long stackBytes, PrintStream out, PrintStream err) {
        public static Options defaults(List<Path> classPath, PrintStream out, PrintStream err) {
            return new Options(classPath, HeapConfig.defaults(), 256L << 20, out, err);
        }
    }

    public final Heap heap;
    public final Universe universe;
    public final ClassLoader loader;
    public final Interpreter interpreter;
    private final Options options;

    private VM(Options o) {
        this.options = o;
        heap = Heap.create(o.heap());
        heap.setBootstrapping(true);
        universe = new Universe(heap);
        universe.bootstrapObjects();
        PrimitiveSet prims = primitives(o);
        loader = new ClassLoader(universe, o.classPath(), prims);
        loader.bootstrapClasses();
        heap.setBootstrapping(false);
        interpreter = new Interpreter(universe, loader, prims, o.stackBytes());
    }

    public static VM boot(Options o) { return new VM(o); }

    private static PrimitiveSet primitives(Options o) {
        PrimitiveSet p = new PrimitiveSet();
        NumberPrimitives.install(p, new Random(0x1e3779));
        ObjectPrimitives.install(p);
        StringPrimitives.install(p);
        ExceptionPrimitives.install(p);
        SystemPrimitives.install(p, o.out(), o.err(), System.nanoTime());
        return p;
    }

    /**
     * SOM's entry point: `system initialize: arguments`, the first argument naming the class to
     * run. Answers the exit code; errors in the program are printed with a Smalltalk backtrace.
     */
    public int run(List<String> arguments) {
        try {
            long args;
            try (var s = heap.scope()) {
                Handle a = heap.handle(universe.newArray(arguments.size()));
                for (int i = 0; i < arguments.size(); i++) heap.store(a, i, universe.newString(arguments.get(i)));
                args = a.get();
            }
            interpreter.send(universe.symbol("initialize:"), universe.system, args);
            return 0;
        } catch (Exit e) {
            return e.code;
        } catch (SmalltalkError e) {
            options.out().flush();
            options.err().println("ERROR: " + e.getMessage());
            options.err().print(e.backtrace());
            return 1;
        } catch (ClassLoader.LoadError | dev.lemming.interpreter.compiler.SyntaxError e) {
            options.out().flush();
            options.err().println(e.getMessage());
            return 1;
        } finally {
            options.out().flush();
        }
    }

    @Override
    public void close() {
        interpreter.close();
        heap.close();
    }
}
