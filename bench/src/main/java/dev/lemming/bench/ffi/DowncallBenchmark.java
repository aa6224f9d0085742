package dev.lemming.bench.ffi;

import dev.lemming.bench.som.SomFixture;
import dev.lemming.memory.object.Tags;
import org.openjdk.jmh.annotations.*;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/** Downcall overhead: labs(-i) called from a SOM loop (interpreted and compiled) and from a plain Java FFM loop. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:MaxInlineLevel=30", "-XX:MaxTrivialSize=24", "-Xss256m"})
public class DowncallBenchmark {
    static final int CALLS = 100_000;
    private static final MethodHandle LABS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("labs").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private SomFixture som;

    /** off: the interpreter alone; on: the JIT, every method compiled at its first call (the Java baseline ignores it). */
    @Param({"off", "on"})
    public String jit;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        som = new SomFixture("LabsLoop", """
                LabsLoop = (
                    | labs |
                    calls: n = ( | sum |
                        labs isNil ifTrue: [ labs := ExternalLibrary default lookup: 'labs' returns: #int64 arguments: #(#int64) ].
                        sum := 0.
                        1 to: n do: [ :i | sum := sum + (labs callWith: 0 - i) ].
                        ^ sum )
                )
                """, jit);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception { som.close(); }

    /** Time per call of labs from SOM code (the loop's own cost included). */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long som() { return som.send("calls:", Tags.smallInteger(CALLS)); }

    /** The same calls through one FFM downcall handle from Java: the floor. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long javaFfm() throws Throwable {
        long sum = 0;
        for (int i = 1; i <= CALLS; i++) sum += (long) LABS.invokeExact((long) -i);
        return sum;
    }
}
