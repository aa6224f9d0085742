package dev.lemming.memory;

import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CompactorTest {
    @ParameterizedTest(name = "buffer of {0} slots")
    @ValueSource(ints = {1, 3, 17, 1 << 20})
    void compactionKeepsTheGraphWhetherItTakesOnePassOrMany(int bufferSlots) {
        HeapConfig cfg = TestHeaps.small().withCompactionBufferSlots(bufferSlots).withVerifyHeap(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            int n = 3000, kept = n / 3;
            Handle all = heap.handle(heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, n));
            for (int i = 0; i < n; i++) {
                long node = heap.allocatePointers(cls, Format.FIXED_POINTERS, 2 + (i % 7));
                heap.store(node, 0, Tags.smallInteger(i));
                heap.store(all.get(), i, node);
            }
            heap.fullGC(); // everything tenured, nothing to compact yet
            Handle keep = heap.handle(heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, kept));
            for (int i = 0; i < kept; i++) heap.store(keep.get(), i, heap.fetch(all.get(), 3 * i));
            all.set(heap.nil()); // two thirds become garbage scattered through old space
            // a ring so that references cross pass boundaries in both directions
            for (int i = 0; i < kept; i++) heap.store(heap.fetch(keep.get(), i), 1, heap.fetch(keep.get(), (i + 1) % kept));
            long passesBefore = heap.stats.compactionPasses;
            heap.fullGC();
            long passes = heap.stats.compactionPasses - passesBefore;
            if (bufferSlots < 100) assertTrue(passes > 1, "expected several passes, got " + passes);
            else assertEquals(1, passes);
            for (int i = 0; i < kept; i++) {
                long node = heap.fetch(keep.get(), i);
                assertEquals(Tags.smallInteger(3L * i), heap.fetch(node, 0));
                assertEquals(heap.fetch(keep.get(), (i + 1) % kept), heap.fetch(node, 1));
            }
        }
    }

    @Test
    void compactorNeverMovesPinnedObjects() {
        HeapConfig cfg = TestHeaps.small().withCompactionBufferSlots(5).withVerifyHeap(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle keep = heap.handle(heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 400));
            List<Long> pinned = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                long node = heap.allocatePointers(cls, Format.FIXED_POINTERS, 1 + i % 5);
                heap.store(node, 0, Tags.smallInteger(i));
                if (i % 3 == 0) heap.store(keep.get(), i / 3, node);
            }
            heap.fullGC();
            for (int i = 0; i < 400; i += 37) {
                long p = heap.pin(heap.fetch(keep.get(), i));
                pinned.add(p);
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 1; i < 400; i += 2) if (i % 37 != 0) heap.store(keep.get(), i, heap.nil()); // free space around the pins
                heap.fullGC();
                for (int k = 0; k < pinned.size(); k++) {
                    assertEquals(pinned.get(k).longValue(), heap.fetch(keep.get(), k * 37), "pinned object moved");
                    assertTrue(heap.isPinned(pinned.get(k)));
                    assertEquals(Tags.smallInteger(k * 37L * 3), heap.fetch(pinned.get(k), 0));
                }
            }
            // unpinned, they may move again and the graph stays intact
            for (long p : pinned) heap.unpin(p);
            heap.fullGC();
            for (int k = 0; k < pinned.size(); k++) assertEquals(Tags.smallInteger(k * 37L * 3), heap.fetch(heap.fetch(keep.get(), k * 37), 0));
        }
    }

    @Test
    void emptiedSegmentsAreUnmapped() {
        try (Heap heap = Heap.create(TestHeaps.small().withVerifyHeap(true)); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle keep = heap.handle(heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 64));
            for (int i = 0; i < 64; i++) heap.store(keep.get(), i, heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 2000));
            heap.fullGC();
            int grown = heap.oldSegments().size();
            assertTrue(grown > 3, "64 arrays of 16 KB need several 256 KB segments");
            for (int i = 0; i < 64; i++) heap.store(keep.get(), i, heap.nil());
            heap.fullGC();
            assertTrue(heap.oldSegments().size() < grown, "segments released: " + heap.oldSegments().size() + " of " + grown);
            assertTrue(heap.stats.segmentsReleased > 0);
        }
    }

    @Test
    void pinningAYoungObjectMovesItToOldSpaceFirst() {
        try (Heap heap = Heap.create(TestHeaps.small().withVerifyHeap(true)); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle h = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            heap.store(h.get(), 0, Tags.smallInteger(5));
            long pinned = heap.pin(h.get());
            assertEquals(pinned, h.get(), "handles see the new address");
            assertTrue(heap.isOldObject(pinned));
            heap.scavenge();
            heap.fullGC();
            assertEquals(pinned, h.get());
            assertEquals(Tags.smallInteger(5), heap.fetch(pinned, 0));
        }
    }

    @Test
    void unreachablePinnedObjectsAreStillCollected() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            int cls = TestHeaps.testClass(heap);
            long p = heap.pin(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            assertTrue(heap.pinnedObjects().contains(p));
            heap.fullGC();
            assertFalse(heap.pinnedObjects().contains(p));
            heap.verify("after");
        }
    }

    /**
     * Regression (found by stress image-saves with 1 MB segments): old-space segments are kept in
     * address order and mmap places new ones below the first, so compaction slid nil into them
     * while Java fields (Universe.nil, the JIT's state block) kept its old address. nil is pinned.
     */
    @Test
    void nilStaysWhereItIsWhenSegmentsAppearBelowIt() {
        HeapConfig cfg = TestHeaps.small().withSegmentBytes(64 << 10).withVerifyHeap(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            long nil = heap.nil();
            int cls = TestHeaps.testClass(heap);
            Handle keep = heap.handle(heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 3000));
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 6000; i++) {
                    long o = heap.allocatePointers(cls, Format.FIXED_POINTERS, 6);
                    if (i % 2 == round % 2) heap.store(keep.get(), i / 2, o); // about 170 KB live, the rest garbage
                }
                heap.fullGC();
                assertEquals(nil, heap.nil(), "nil moved");
                assertEquals(nil, heap.specialObject(Heap.SPECIAL_NIL));
            }
            assertTrue(heap.oldSegments().size() > 1, "the test needs several segments");
            assertTrue(heap.isPinned(nil));
        }
    }
}
