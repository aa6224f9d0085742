package dev.lemming.bench.jit;

import dev.lemming.bench.som.SomFixture;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.jit.X86Tier;
import org.openjdk.jmh.annotations.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JIT compile speed: copy-and-patch of every method of the core library's larger classes
 * (about 300 methods), per method; the machine code bytes per bytecode byte are printed once.
 * The stencils are assembled (or read from their cache) before the trial, not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss256m"})
public class CompileBenchmark {
    private SomFixture som;
    private X86Tier tier;
    private final List<MethodMirror> methods = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        System.setProperty(JitSettings.ENABLED, "on");
        som = new SomFixture("CompileTarget", "CompileTarget = ( )");
        tier = (X86Tier) som.vm.interpreter.tier();
        var in = som.vm.interpreter;
        var u = som.vm.universe;
        for (String name : List.of("Object", "String", "Integer", "Array", "Dictionary", "Vector", "Exception", "Class", "Hashtable", "Set", "Double", "Boolean")) {
            long cls = u.global(u.symbol(name));
            if (cls == 0) cls = som.vm.loader.load(name);
            for (long c : new long[] {cls, u.classOf(cls)}) {
                long ms = som.vm.heap.fetch(c, dev.lemming.interpreter.runtime.ObjectModel.CLASS_METHODS);
                for (long i = 0; i < som.vm.heap.numSlots(ms); i++) {
                    MethodMirror m = in.mirrorOf(som.vm.heap.fetch(ms, i));
                    if (!m.isPrimitiveMethod) methods.add(m);
                }
            }
        }
        compileAll();
        System.out.printf("%n%d methods: %s", methods.size(), tier.stats());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception { som.close(); }

    private int compileAll() {
        tier.discardAll();
        for (MethodMirror m : methods) tier.compile(m);
        return methods.size();
    }

    /** Time to compile all of them; divide by the method count printed at setup for per method. */
    @Benchmark
    public int compileCoreMethods() { return compileAll(); }
}
