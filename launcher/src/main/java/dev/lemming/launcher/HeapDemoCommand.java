package dev.lemming.launcher;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.image.ImageReader;
import dev.lemming.memory.image.ImageWriter;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** `lemming heap-demo`: allocates, collects, pins, saves and loads an image, saying what happened. */
final class HeapDemoCommand implements Command {
    private static final int ROOT = 40;

    @Override public String name() { return "heap-demo"; }
    @Override public String summary() { return "allocate, collect, pin, save and load an image, and print what happened"; }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        List<String> args = new java.util.ArrayList<>(argv);
        HeapConfig cfg = HeapOptions.parse(args, HeapConfig.defaults().withYoung(1 << 20, 256 << 10).withSegmentBytes(1 << 20));
        if (!args.isEmpty()) throw new UsageException("heap-demo takes no arguments besides heap options, not " + args);
        Path image = Files.createTempFile("lemming-demo", ".image");
        long sum;
        try (Heap heap = Heap.create(cfg)) {
            long cls = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 1);
            Layout.storeRaw(cls, 0, heap.nil());
            int node = heap.registerClass(cls);
            out.printf("heap: eden %d KB, survivors 2 x %d KB, old segments of %d KB%n",
                    cfg.edenBytes() >> 10, cfg.survivorBytes() >> 10, cfg.segmentBytes() >> 10);
            try (var s = heap.scope()) {
                Handle list = heap.handle(heap.nil());
                for (int i = 0; i < 200_000; i++) {
                    long n = heap.allocatePointers(node, Format.FIXED_POINTERS, 2);
                    heap.store(n, 0, Tags.smallInteger(i));
                    if (i % 10 == 0) { heap.store(n, 1, list.get()); list.set(n); } // keep one in ten
                }
                heap.setSpecialObject(ROOT, list.get());
            }
            out.printf("allocated 200000 nodes, kept 20000: %d scavenges, %d KB survived, %d KB tenured%n",
                    heap.stats.scavenges, heap.stats.bytesSurvived >> 10, heap.stats.bytesTenured >> 10);
            long pinned = heap.pin(heap.fetch(heap.specialObject(ROOT), 1));
            heap.fullGC();
            out.printf("full GC: %d compaction pass(es), %d KB moved, old space %d KB in %d segment(s); pinned node stayed at 0x%x: %b%n",
                    heap.stats.compactionPasses, heap.stats.bytesCompacted >> 10, heap.oldBytesCommitted() >> 10,
                    heap.oldSegments().size(), pinned, heap.fetch(heap.specialObject(ROOT), 1) == pinned);
            sum = sum(heap);
            long t0 = System.nanoTime();
            ImageWriter.save(heap, image);
            out.printf("saved %s (%d KB) in %.1f ms; sum of kept payloads %d%n", image, Files.size(image) >> 10, (System.nanoTime() - t0) / 1e6, sum);
        }
        for (boolean force : new boolean[]{false, true}) {
            long t0 = System.nanoTime();
            var loaded = ImageReader.load(image, cfg, force);
            try (Heap heap = loaded.heap()) {
                double ms = (System.nanoTime() - t0) / 1e6;
                heap.verify("after load");
                long again = sum(heap);
                out.printf("loaded %s in %.1f ms (%s); sum %d: %s%n", image.getFileName(), ms,
                        loaded.relocated() ? "relocated" : "at the recorded addresses", again, again == sum ? "same" : "DIFFERENT");
                if (again != sum) return 1;
            }
        }
        Files.deleteIfExists(image);
        return 0;
    }

    private static long sum(Heap heap) {
        long total = 0;
        for (long n = heap.specialObject(ROOT); n != heap.nil(); n = heap.fetch(n, 1)) total += Tags.smallIntegerValue(heap.fetch(n, 0));
        return total;
    }
}
