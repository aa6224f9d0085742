package dev.lemming.bench.memory;

import dev.lemming.memory.Heap;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/** The pause of one full GC (mark and compact) of an old space of {@code megabytes} with {@code livePercent} reachable. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class FullGcBenchmark {
    @Param({"1024"})
    public long megabytes;
    @Param({"10", "90"})
    public int livePercent;

    private Heap heap;

    @Setup(Level.Iteration)
    public void build() { heap = OldSpaceFixture.build(megabytes << 20, livePercent); }

    @TearDown(Level.Iteration)
    public void tearDown() { heap.close(); }

    @Benchmark
    public long fullGC() {
        heap.fullGC();
        return heap.oldBytesCommitted();
    }
}
