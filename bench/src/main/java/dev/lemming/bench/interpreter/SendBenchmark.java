package dev.lemming.bench.interpreter;

import dev.lemming.bench.som.SomFixture;
import dev.lemming.memory.object.Tags;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The VM's basic operations, interpreted and compiled, each timed per operation inside a SOM loop of 100,000:
 * sends at monomorphic, polymorphic (4 classes) and megamorphic (12 classes) sites, SmallInteger
 * arithmetic, block evaluation and non-local return. The loop's own cost is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:MaxInlineLevel=30", "-XX:MaxTrivialSize=24", "-Xss256m"})
public class SendBenchmark {
    static final int N = 100_000;
    private static final String SOURCE = """
            SendLoop = (
                | receivers |
                setUp = (
                    receivers := Array new: 12.
                    receivers at: 1 put: 1. receivers at: 2 put: 'a'. receivers at: 3 put: #a. receivers at: 4 put: 1.5.
                    receivers at: 5 put: (Array new: 1). receivers at: 6 put: nil. receivers at: 7 put: true. receivers at: 8 put: false.
                    receivers at: 9 put: Object new. receivers at: 10 put: [ 1 ]. receivers at: 11 put: Object. receivers at: 12 put: (1 << 70) )
                mono: n = ( | o s | o := Object new. s := 0. 1 to: n do: [ :i | o isNil. s := s + 1 ]. ^ s )
                poly: n = ( | s | s := 0. 1 to: n do: [ :i | (receivers at: i % 4 + 1) isNil. s := s + 1 ]. ^ s )
                mega: n = ( | s | s := 0. 1 to: n do: [ :i | (receivers at: i % 12 + 1) isNil. s := s + 1 ]. ^ s )
                arithmetic: n = ( | s | s := 0. 1 to: n do: [ :i | s := s + (i * 3) - (i / 2) % 7 ]. ^ s )
                blocks: n = ( | s b | s := 0. b := [ :x | x + 1 ]. 1 to: n do: [ :i | s := b value: s ]. ^ s )
                returnFrom: i = ( #(1 2 3) do: [ :e | e = 2 ifTrue: [ ^ i ] ]. ^ 0 )
                nonLocalReturn: n = ( | s | s := 0. 1 to: n do: [ :i | s := s + (self returnFrom: i) ]. ^ s )
                comparator = ( ^ [ :a :b | a < b ifTrue: [ -1 ] ifFalse: [ a > b ifTrue: [ 1 ] ifFalse: [ 0 ] ] ] )
            )
            """;
    private SomFixture som;

    /** off: the interpreter alone; on: the JIT, every method compiled at its first call. */
    @Param({"off", "on"})
    public String jit;

    /** A two-argument block, pinned so that Java can keep it in a field. */
    private long comparator;
    private long calls;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        som = new SomFixture("SendLoop", SOURCE, jit);
        som.send("setUp");
        comparator = som.vm.heap.pin(som.send("comparator"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception { som.close(); }

    private long loop(String selector) { return som.send(selector, Tags.smallInteger(N)); }

    /** A send whose site always sees one class. */
    @Benchmark @OperationsPerInvocation(N) public long monomorphicSend() { return loop("mono:"); }
    /** A send whose site sees 4 classes in turn. */
    @Benchmark @OperationsPerInvocation(N) public long polymorphicSend() { return loop("poly:"); }
    /** A send whose site sees 12 classes in turn. */
    @Benchmark @OperationsPerInvocation(N) public long megamorphicSend() { return loop("mega:"); }
    /** SmallInteger +, *, -, // and % (inline fast paths and primitives). */
    @Benchmark @OperationsPerInvocation(N) public long smallIntegerArithmetic() { return loop("arithmetic:"); }
    /** value: of a one-argument block. */
    @Benchmark @OperationsPerInvocation(N) public long blockEvaluation() { return loop("blocks:"); }
    /** A method whose block returns non-locally from inside do:. */
    @Benchmark @OperationsPerInvocation(N) public long nonLocalReturn() { return loop("nonLocalReturn:"); }
    /**
     * A block evaluated from Java in a nested run loop, as every callback's block is (without the
     * FFM upcall around it): the VM's own cost per callback.
     */
    @Benchmark public long nestedBlockFromJava() {
        calls++;
        return som.vm.interpreter.valueBlock(comparator, Tags.smallInteger(calls & 1023), Tags.smallInteger(512));
    }
}
