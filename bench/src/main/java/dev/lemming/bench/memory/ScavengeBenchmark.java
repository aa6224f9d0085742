package dev.lemming.bench.memory;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Tags;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * One scavenge of an eden holding {@code liveBytes} of reachable linked objects (and nothing
 * else): survivor bytes copied per second = liveBytes / time per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ScavengeBenchmark {
    @Param({"4194304"})
    public long liveBytes;

    private Heap heap;
    private static final int ROOT = 40;

    @Setup(Level.Trial)
    public void setUp() {
        // survivors large enough to hold everything; objects never old enough to tenure
        heap = Heap.create(HeapConfig.defaults().withYoung(liveBytes * 2, liveBytes * 2).withTenureAge(3));
    }

    @Setup(Level.Invocation)
    public void fillEden() {
        heap.scavenge();                       // empty the survivors of the previous invocation
        heap.setSpecialObject(ROOT, heap.nil());
        heap.scavenge();
        long previous = heap.nil();
        for (long n = liveBytes / 48; n > 0; n--) {  // 4 slots + header + ... = 48-byte chunks
            long o = heap.allocatePointers(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 5);
            heap.store(o, 0, previous);
            heap.store(o, 1, Tags.smallInteger(n));
            previous = o;
            heap.setSpecialObject(ROOT, previous);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() { heap.close(); }

    @Benchmark
    public long scavenge() {
        heap.scavenge();
        return heap.stats.bytesSurvived;
    }
}
