package dev.lemming.bench.memory;

import dev.lemming.memory.Heap;
import dev.lemming.memory.image.ImageReader;
import dev.lemming.memory.image.ImageWriter;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Image save (full GC, write, fsync, rename) and load (map, checksum, relocate if asked) of a
 * heap of about {@code megabytes} with 90% live.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class ImageBenchmark {
    @Param({"1024"})
    public long megabytes;

    private Path image;
    private Heap heap;

    @Setup(Level.Trial)
    public void saveOnce() throws IOException {
        image = Files.createTempFile("lemming-bench", ".image");
        try (Heap h = OldSpaceFixture.build(megabytes << 20, 90)) {
            ImageWriter.save(h, image);
        }
    }

    @TearDown(Level.Trial)
    public void deleteImage() throws IOException { Files.deleteIfExists(image); }

    @TearDown(Level.Invocation)
    public void closeHeap() {
        if (heap != null) heap.close();
        heap = null;
    }

    @Benchmark
    public long loadAtRecordedAddresses() {
        var loaded = ImageReader.load(image, OldSpaceFixture.config(4L << 30), false);
        heap = loaded.heap();
        if (loaded.relocated()) throw new IllegalStateException("expected the recorded addresses to be free");
        return OldSpaceFixture.liveObjects(heap);
    }

    @Benchmark
    public long loadWithRelocation() {
        var loaded = ImageReader.load(image, OldSpaceFixture.config(4L << 30), true);
        heap = loaded.heap();
        return OldSpaceFixture.liveObjects(heap);
    }

    /** A loaded heap to save, set up outside the measured time. */
    @State(Scope.Thread)
    public static class Loaded {
        Heap heap;
        Path out;

        @Setup(Level.Invocation)
        public void load(ImageBenchmark b) {
            heap = ImageReader.load(b.image, OldSpaceFixture.config(4L << 30), false).heap();
            out = b.image.resolveSibling(b.image.getFileName() + ".resaved");
        }

        @TearDown(Level.Invocation)
        public void close() throws IOException {
            heap.close();
            Files.deleteIfExists(out);
        }
    }

    /** Saving: a full GC of an already compact heap, then write, fsync and rename. */
    @Benchmark
    public long save(Loaded l) throws IOException {
        ImageWriter.save(l.heap, l.out);
        return Files.size(l.out);
    }
}
