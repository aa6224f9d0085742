package dev.lemming.interpreter;

import dev.lemming.interpreter.exec.ExecutionTier;
import dev.lemming.interpreter.exec.ExecutionTierProvider;
import dev.lemming.interpreter.exec.Exit;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.exec.PrimitiveProvider;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.exec.SmalltalkError;
import dev.lemming.interpreter.primitives.ByteArrayPrimitives;
import dev.lemming.interpreter.primitives.ExceptionPrimitives;
import dev.lemming.interpreter.primitives.NumberPrimitives;
import dev.lemming.interpreter.primitives.ObjectPrimitives;
import dev.lemming.interpreter.primitives.StringPrimitives;
import dev.lemming.interpreter.primitives.SystemPrimitives;
import dev.lemming.interpreter.runtime.ClassLoader;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.interpreter.runtime.SourceMaps;
import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.image.ImageReader;
import dev.lemming.memory.image.ImageWriter;
import dev.lemming.memory.roots.Handle;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One SOM virtual machine: a heap, the classes in it, and an interpreter. */
public final class VM implements AutoCloseable {
    /** The system property `--gc-stats` sets: the heap's collection counters are printed at exit. */
    public static final String GC_STATS = "lemming.gc.stats";

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

    private VM(Options o, Heap fromImage) {
        this.options = o;
        PrimitiveSet prims = primitives(o);
        if (fromImage == null) {
            heap = Heap.create(o.heap());
            heap.setBootstrapping(true);
            universe = new Universe(heap);
            universe.bootstrapObjects();
            loader = new ClassLoader(universe, o.classPath(), prims);
            loader.bootstrapClasses();
            heap.setBootstrapping(false);
        } else {
            heap = fromImage;
            universe = new Universe(heap);
            universe.rebuildCaches();
            List<Path> cp = new ArrayList<>(o.classPath());
            long saved = heap.specialObject(ObjectModel.SPECIAL_CLASS_PATH);
            if (saved != universe.nil) {
                for (long i = 0; i < heap.numSlots(saved); i++) cp.add(Path.of(universe.stringValue(heap.fetch(saved, i))));
            }
            loader = new ClassLoader(universe, cp, prims);
        }
        interpreter = new Interpreter(universe, loader, prims, o.stackBytes());
        jit = JitSettings.current();
        if (jit.mode() != JitSettings.Mode.OFF) {
            ExecutionTier t = tier(interpreter);
            if (t == null && jit.mode() == JitSettings.Mode.ON)
                throw new IllegalStateException("--jit=on: this build has no JIT for " + System.getProperty("os.arch") + " (use --jit=off)");
            if (t != null) interpreter.setTier(t, jit.threshold());
        }
    }

    private final JitSettings jit;

    /** The JIT for this machine's architecture, found through ServiceLoader, or null. */
    private static ExecutionTier tier(Interpreter in) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
        for (ExecutionTierProvider p : java.util.ServiceLoader.load(ExecutionTierProvider.class)) {
            if (p.architecture().equals(arch)) return p.create(in);
        }
        return null;
    }

    /** A VM built from source: the core library compiled into a fresh heap. */
    public static VM boot(Options o) { return new VM(o, null); }

    /** A VM started from an image (mapped at its recorded addresses when they are free). */
    public static VM fromImage(Path image, Options o) {
        return new VM(o, ImageReader.load(image, o.heap()).heap());
    }

    /**
     * `lemming image save`: loads {@code mainClass} and writes an image that runs it when
     * started; the class path is kept in the image for classes loaded later.
     */
    public void saveImage(Path image, String mainClass) {
        if (universe.global(universe.symbol(mainClass)) == 0 && loader.load(mainClass) == 0)
            throw new ClassLoader.LoadError("cannot find class " + mainClass + " on the class path " + loader.classPath());
        // an image holds the whole program: every class of the user's class path, compiled once
        for (Path dir : options.classPath()) {
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".som")).sorted().toList()) {
                    String name = f.getFileName().toString().replace(".som", "");
                    if (universe.global(universe.symbol(name)) == 0 && !loader.loaded(f)) loader.load(name);
                }
            } catch (java.io.IOException e) {
                throw new ClassLoader.LoadError("cannot list " + dir + ": " + e.getMessage());
            }
        }
        heap.setSpecialObject(ObjectModel.SPECIAL_MAIN, universe.newString(mainClass));
        try (var s = heap.scope()) {
            var cp = heap.handle(universe.newArray(loader.classPath().size()));
            for (int i = 0; i < loader.classPath().size(); i++) heap.store(cp, i, universe.newString(loader.classPath().get(i).toAbsolutePath().toString()));
            heap.setSpecialObject(ObjectModel.SPECIAL_CLASS_PATH, cp.get());
        }
        SourceMaps.writeWith(universe, () -> ImageWriter.save(heap, image));
    }

    /** `lemming image save app.image File.som`: the class the file defines is the image's main class, as for {@link #runFile}; answers its name. */
    public String saveImageOfFile(Path image, Path file) {
        String main = loader.loadFile(file);
        saveImage(image, main);
        return main;
    }

    /** Runs a started image: resumes a snapshot, or runs the image's main class with {@code arguments}. */
    public int runImage(List<String> arguments) {
        if (heap.specialObject(ObjectModel.SPECIAL_RESUME) != universe.nil) {
            return guard(() -> interpreter.resume());
        }
        long main = heap.specialObject(ObjectModel.SPECIAL_MAIN);
        if (main == universe.nil) {
            options.err().println("lemming: this image has neither a main class nor a snapshot to resume");
            return 1;
        }
        List<String> all = new ArrayList<>();
        all.add(universe.stringValue(main));
        all.addAll(arguments);
        return run(all);
    }

    private static PrimitiveSet primitives(Options o) {
        PrimitiveSet p = new PrimitiveSet();
        NumberPrimitives.install(p, new Random(0x1e3779));
        ObjectPrimitives.install(p);
        StringPrimitives.install(p);
        ExceptionPrimitives.install(p);
        SystemPrimitives.install(p, o.out(), o.err(), System.nanoTime());
        ByteArrayPrimitives.install(p);
        for (PrimitiveProvider provider : java.util.ServiceLoader.load(PrimitiveProvider.class)) provider.install(p);
        return p;
    }

    /**
     * SOM's entry point: `system initialize: arguments`, the first argument naming the class to
     * run. Answers the exit code; errors in the program are printed with a Smalltalk backtrace.
     */
    public int run(List<String> arguments) {
        return guard(() -> start(arguments));
    }

    /**
     * `lemming run File.som args`: runs the class the file defines, as yksom does, even when its
     * name is not the file's (classes looked up by name must match their files).
     */
    public int runFile(Path file, List<String> arguments) {
        return guard(() -> {
            List<String> all = new ArrayList<>();
            all.add(loader.loadFile(file));
            all.addAll(arguments);
            return start(all);
        });
    }

    private long start(List<String> arguments) {
        long args;
        try (var s = heap.scope()) {
            Handle a = heap.handle(universe.newArray(arguments.size()));
            for (int i = 0; i < arguments.size(); i++) heap.store(a, i, universe.newString(arguments.get(i)));
            args = a.get();
        }
        return interpreter.send(universe.symbol("initialize:"), universe.system, args);
    }

    /**
     * Runs Smalltalk code, turning the ways a program ends into an exit code and messages. Under
     * --ffi-check, native writes into canaries that no full GC has checked yet are reported here.
     */
    private int guard(java.util.function.LongSupplier body) {
        int code = ended(body);
        if (heap.config.ffiCheck()) heap.ffiCanaries().check("at the end of the run");
        return code;
    }

    private int ended(java.util.function.LongSupplier body) {
        try {
            body.getAsLong();
            return 0;
        } catch (Exit e) {
            return e.code;
        } catch (SmalltalkError e) {
            // as an unhandled Error prints itself (core/Error.som): ERROR: and the message on
            // stdout, the backtrace ending in the message on stderr
            options.out().println("ERROR: " + e.getMessage());
            options.out().flush();
            options.err().println("Traceback (innermost call first):");
            options.err().print(e.backtrace());
            options.err().println(e.getMessage());
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
        if (jit.stats() && interpreter.tier() != null) {
            options.out().flush();
            options.err().print(interpreter.tier().stats());
        }
        if (Boolean.getBoolean(GC_STATS)) {
            options.out().flush();
            options.err().println("gc: " + heap.stats + ", eden " + (heap.config.edenBytes() >> 10) + " KB");
        }
        interpreter.close();
        heap.close();
    }
}
