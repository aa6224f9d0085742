package dev.lemming.memory.image;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.gc.GcKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap dumps for replay: the heap as it was just before a collection that failed its --lemming
 * rehearsal, with new space and every root, so the same collection can run again on it.
 */
public final class HeapDump {
    private HeapDump() {}

    public static Path write(Heap heap, GcKind kind, long tenureTarget) {
        Path path = heap.config.dumpDirectory().resolve("lemming-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".image");
        List<Long> roots = new ArrayList<>();
        heap.forEachRoot(v -> { roots.add(v); return v; });
        long[] r = roots.stream().mapToLong(Long::longValue).toArray();
        ImageWriter.writeDump(heap, path, kind, tenureTarget, r);
        return path;
    }

    /** The outcome of a replay: the collection that ran and whether the heap verified after it. */
    public record Replay(GcKind kind, boolean relocated, String failure) {
        public boolean passed() { return failure == null; }
    }

    /** Loads a dump and runs its collection again, verifying before and after. */
    public static Replay replay(Path dump, HeapConfig config) {
        ImageReader.Loaded loaded = ImageReader.load(dump, config.plain());
        ImageHeader h = loaded.header();
        if (!h.isDump()) throw new ImageFormatException(dump + " is an image, not a heap dump (nothing to replay)");
        GcKind kind = GcKind.values()[Math.max(0, Math.min(1, h.gcKind()))];
        try (Heap heap = loaded.heap()) {
            heap.setBootstrapping((h.flags() & ImageHeader.FLAG_BOOTSTRAPPING) != 0);
            long target = 0;
            if (h.tenureTarget() != 0) {
                Relocator r = new Relocator();
                r.add(h.young()[5], heap.young.mapping.size, heap.young.mapping.start);
                target = r.relocate(h.tenureTarget());
            }
            heap.verify("before the replayed " + kind.name().toLowerCase());
            heap.collect(kind, target);
            heap.verify("after the replayed " + kind.name().toLowerCase());
            return new Replay(kind, loaded.relocated(), null);
        } catch (RuntimeException e) {
            return new Replay(kind, loaded.relocated(), e.getMessage());
        }
    }
}
