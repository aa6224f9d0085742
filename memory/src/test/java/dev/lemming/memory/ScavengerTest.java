package dev.lemming.memory;

import dev.lemming.memory.gc.HeapCorruptionException;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ScavengerTest {
    @Test
    void scavengeKeepsReachableObjectsAndTheirContents() {
        try (Heap heap = Heap.create(TestHeaps.small()); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle list = heap.handle(heap.nil());
            for (int i = 0; i < 100; i++) {
                long node = heap.allocatePointers(cls, Format.FIXED_POINTERS, 2);
                heap.store(node, 0, Tags.smallInteger(i));
                heap.store(node, 1, list.get());
                list.set(node);
            }
            long before = list.get();
            heap.scavenge();
            assertNotEquals(before, list.get(), "survivors are copied");
            long n = list.get();
            for (int i = 99; i >= 0; i--) {
                assertEquals(Tags.smallInteger(i), heap.fetch(n, 0));
                n = heap.fetch(n, 1);
            }
            assertEquals(heap.nil(), n);
            heap.verify("after scavenge");
        }
    }

    @Test
    void garbageIsNotCopied() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            int cls = TestHeaps.testClass(heap);
            for (int i = 0; i < 500; i++) heap.allocatePointers(cls, Format.FIXED_POINTERS, 4);
            heap.scavenge();
            assertEquals(0, heap.young.usedBytes());
        }
    }

    @Test
    void objectsAreTenuredAfterSurvivingTenureAgeScavenges() {
        try (Heap heap = Heap.create(TestHeaps.small().withTenureAge(2)); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle h = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            heap.scavenge();
            assertTrue(heap.isYoungObject(h.get()));
            heap.scavenge();
            assertTrue(heap.isYoungObject(h.get()));
            heap.scavenge();
            assertTrue(heap.isOldObject(h.get()), "tenured at the third scavenge");
        }
    }

    @Test
    void anOldObjectStoredIntoKeepsItsYoungReferentAliveThroughTheRememberedSet() {
        try (Heap heap = Heap.create(TestHeaps.small()); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle holder = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            heap.fullGC();
            assertTrue(heap.isOldObject(holder.get()));
            long young = heap.allocatePointers(cls, Format.FIXED_POINTERS, 1);
            heap.store(young, 0, Tags.smallInteger(77));
            heap.store(holder.get(), 0, young);
            assertEquals(1, heap.remembered.size());
            heap.scavenge();
            long moved = heap.fetch(holder.get(), 0);
            assertNotEquals(young, moved);
            assertEquals(Tags.smallInteger(77), heap.fetch(moved, 0));
            heap.verify("after scavenge");
        }
    }

    @Test
    void theVerifierCatchesAStoreThatSkippedTheWriteBarrier() {
        try (Heap heap = Heap.create(TestHeaps.small()); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle holder = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            heap.fullGC();
            Layout.storeRaw(holder.get(), 0, heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            var e = assertThrows(HeapCorruptionException.class, () -> heap.verify("test"));
            assertTrue(e.getMessage().contains("not remembered"), e.getMessage());
        }
    }

    @Test
    void theVerifierCatchesAReferenceToFreedNewSpace() {
        try (Heap heap = Heap.create(TestHeaps.small()); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            long stale = heap.allocatePointers(cls, Format.FIXED_POINTERS, 1);
            Handle h = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            heap.scavenge();
            heap.store(h.get(), 0, stale); // a raw reference kept across a collection
            var e = assertThrows(HeapCorruptionException.class, () -> heap.verify("test"));
            assertTrue(e.getMessage().contains("free part of new space") || e.getMessage().contains("not at an object header"), e.getMessage());
        }
    }
}
