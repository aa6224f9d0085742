package dev.lemming.bench.memory;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

/**
 * Builds an old space of a given size in which a given fraction of the objects is live, the
 * live ones spread evenly among the dead ones and chained to each other, so that a full GC has
 * marking, reference updating and moving to do everywhere.
 */
final class OldSpaceFixture {
    private OldSpaceFixture() {}

    static final int KEEP_SLOT = 40;
    /** 64 slots: a 528-byte chunk, about two million of them per gigabyte. */
    static final int SLOTS = 64;

    static HeapConfig config(long maxHeap) {
        return HeapConfig.defaults().withMaxHeap(maxHeap).withSegmentBytes(64 << 20);
    }

    /** A heap with about {@code bytes} of old objects, {@code livePercent} of them reachable. */
    static Heap build(long bytes, int livePercent) {
        Heap heap = Heap.create(config(bytes * 2 + (256L << 20)));
        long cls = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 1);
        Layout.storeRaw(cls, 0, heap.nil());
        int node = heap.registerClass(cls);
        long count = bytes / Layout.chunkBytesFor(SLOTS);
        long live = count * livePercent / 100;
        long keep = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, live);
        RawMemory.fillLongs(Layout.slotAddress(keep, 0), live, heap.nil());
        heap.setSpecialObject(KEEP_SLOT, keep);
        long kept = 0, previous = heap.nil();
        for (long i = 0; i < count; i++) {
            long o = heap.allocateOldChunk(node, Format.FIXED_POINTERS, SLOTS);
            RawMemory.fillLongs(Layout.slotAddress(o, 0), SLOTS, heap.nil());
            Layout.storeRaw(o, 0, Tags.smallInteger(i));
            // keep livePercent of the objects, spread evenly
            if (kept < live && (i * livePercent) / 100 >= kept) {
                Layout.storeRaw(o, 1, previous);
                Layout.storeRaw(keep, kept++, o);
                previous = o;
            }
        }
        return heap;
    }

    static long liveObjects(Heap heap) { return heap.numSlots(heap.specialObject(KEEP_SLOT)); }
}
