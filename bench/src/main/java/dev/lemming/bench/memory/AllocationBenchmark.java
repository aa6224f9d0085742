package dev.lemming.bench.memory;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/** Allocation of small objects in eden (3 slots, 32 bytes), including the scavenges of the garbage. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AllocationBenchmark {
    private Heap heap;

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.create(HeapConfig.defaults());
    }

    @TearDown(Level.Trial)
    public void tearDown() { heap.close(); }

    /** One 32-byte object per operation: objects per microsecond x 32 = MB/s. */
    @Benchmark
    public long allocateSmallObject() {
        return heap.allocatePointers(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 3);
    }
}
