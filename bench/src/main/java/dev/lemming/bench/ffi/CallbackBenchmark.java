package dev.lemming.bench.ffi;

import dev.lemming.bench.som.SomFixture;
import dev.lemming.memory.object.Tags;
import org.openjdk.jmh.annotations.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Callback overhead: qsort of N int64 values with a SOM block comparator (interpreted or compiled) and with
 * a Java FFM upcall comparator; the array is refilled with the same values before each sort.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:MaxInlineLevel=30", "-XX:MaxTrivialSize=24", "-Xss256m"})
public class CallbackBenchmark {
    @Param({"1000000"})
    public int n;

    private static final Linker C = Linker.nativeLinker();
    private static final MethodHandle QSORT = C.downcallHandle(C.defaultLookup().find("qsort").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private SomFixture som;
    private Arena arena;
    private MemorySegment values, comparator;
    private long[] original;

    static int compare(MemorySegment a, MemorySegment b) {
        return Long.compare(a.reinterpret(8).get(ValueLayout.JAVA_LONG, 0), b.reinterpret(8).get(ValueLayout.JAVA_LONG, 0));
    }

    /**
     * smallint: values in SmallInteger's range (61 bits), which a comparator reads as immediates;
     * int64: the full range, where 15 of 16 values are LargeIntegers in SOM (allocated at every
     * read, compared by the LargeInteger primitives). The Java comparator is the same for both.
     */
    @Param({"smallint", "int64"})
    public String range;

    /** off: the interpreter alone; on: the JIT, every method compiled at its first call (the Java baseline ignores it). */
    @Param({"off", "on"})
    public String jit;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        original = range.equals("int64") ? new Random(42).longs(n).toArray()
                : new Random(42).longs(n, Tags.MIN_SMALL_INTEGER, Tags.MAX_SMALL_INTEGER).toArray();
        arena = Arena.ofShared();
        values = arena.allocate(8L * n, 8);
        FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        MethodHandle cmp = MethodHandles.lookup().findStatic(CallbackBenchmark.class, "compare",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        comparator = C.upcallStub(cmp, fd, arena);
        som = new SomFixture("SortLoop", """
                SortLoop = (
                    | qsort cmp buf |
                    setUp: n = (
                        qsort := ExternalLibrary default lookup: 'qsort' returns: #void arguments: #(#pointer #size_t #size_t #pointer).
                        cmp := ExternalCallback block: [ :a :b | | x y |
                                x := a int64At: 0. y := b int64At: 0.
                                x < y ifTrue: [ -1 ] ifFalse: [ x > y ifTrue: [ 1 ] ifFalse: [ 0 ] ] ]
                            returns: #int32 arguments: #(#pointer #pointer).
                        buf := ExternalAddress allocate: n * 8 )
                    buffer = ( ^ buf asInteger )
                    sort: n = ( qsort callWith: buf with: n with: 8 with: cmp )
                )
                """, jit);
        som.send("setUp:", Tags.smallInteger(n));
    }

    @Setup(Level.Invocation)
    public void refill() {
        MemorySegment.copy(original, 0, values, ValueLayout.JAVA_LONG, 0, n);
        long somBuffer = Tags.smallIntegerValue(som.send("buffer"));
        MemorySegment.copy(original, 0, MemorySegment.ofAddress(somBuffer).reinterpret(8L * n), ValueLayout.JAVA_LONG, 0, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception { som.close(); arena.close(); }

    @Benchmark
    public void somBlockComparator() { som.send("sort:", Tags.smallInteger(n)); }

    @Benchmark
    public void javaUpcallComparator() throws Throwable { QSORT.invokeExact(values, (long) n, 8L, comparator); }
}
