package dev.lemming.memory;

import dev.lemming.memory.gc.FfiCanaries;
import dev.lemming.memory.gc.HeapCorruptionException;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** --ffi-check's canaries: the old place of a watched object that moved is kept, checked and reported. */
class FfiCanariesTest {
    /** Garbage, then the object native code saw (tenured, as pinning for a call does), watched. */
    private static long[] setUp(Heap heap, Handle keep, int watchedCount) {
        int cls = TestHeaps.testClass(heap);
        heap.installClass(ClassIndex.BYTE_ARRAY, heap.classAt(cls)); // canaries are ByteArrays
        heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 5000); // dies: room for the watched objects to slide into
        long[] old = new long[watchedCount];
        for (int i = 0; i < watchedCount; i++) {
            long o = heap.pin(heap.allocateBytes(ClassIndex.BYTE_ARRAY, 64 + 8 * i));
            heap.unpin(o);
            Layout.storeRaw(o, 0, 0x1122334455667788L + i);
            heap.store(keep.get(), i, o);
            heap.ffiCanaries().watch(o, "ByteArray", "setvbuf");
            old[i] = o;
        }
        return old;
    }

    @ParameterizedTest(name = "compaction buffer of {0} slots")
    @ValueSource(ints = {1, 1 << 20})
    void aMovedObjectLeavesACanaryThatNothingElseReuses(int slots) {
        HeapConfig cfg = TestHeaps.small().withFfiCheck(true).withVerifyHeap(true).withCompactionBufferSlots(slots);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            Handle keep = heap.handle(heap.allocatePointers(TestHeaps.testClass(heap), Format.INDEXABLE_POINTERS, 8));
            long[] old = setUp(heap, keep, 8);
            heap.fullGC();
            assertEquals(8, heap.ffiCanaries().canaryCount());
            for (int i = 0; i < 8; i++) {
                long now = heap.fetch(keep.get(), i);
                assertNotEquals(old[i], now, "the watched object moved");
                assertTrue(heap.ffiCanaries().isWatched(now), "the watch follows the object");
                assertEquals(0x1122334455667788L + i, Layout.fetch(now, 0), "its contents moved with it");
                assertEquals(FfiCanaries.PATTERN, Layout.fetch(old[i], 0), "its old place holds the canary");
            }
            // more objects and another compaction must not land on the canaries before they are checked
            int cls = heap.classIndexOf(keep.get());
            for (int i = 0; i < 2000; i++) heap.allocatePointers(cls, Format.FIXED_POINTERS, 3);
            heap.scavenge();
            heap.fullGC(); // checks the untouched canaries, releases them
            assertEquals(0, heap.ffiCanaries().canaryCount());
        }
    }

    @Test
    void aWriteIntoTheOldPlaceIsReportedWithClassAndFunction() {
        HeapConfig cfg = TestHeaps.small().withFfiCheck(true).withVerifyHeap(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            Handle keep = heap.handle(heap.allocatePointers(TestHeaps.testClass(heap), Format.INDEXABLE_POINTERS, 1));
            long old = setUp(heap, keep, 1)[0];
            heap.fullGC();
            RawMemory.putLong(Layout.slotAddress(old, 1), 0x0A6f6c6c6568L); // a word as stdio would write it: all 8 bytes differ from the canary
            HeapCorruptionException e = assertThrows(HeapCorruptionException.class, heap::fullGC);
            assertTrue(e.getMessage().contains("changed 8 byte(s) (the first at offset 8) of the old place of a ByteArray that was passed to setvbuf"), e.getMessage());
        }
    }

    @Test
    void anObjectWithNoRoomBelowStaysAndLeavesNoCanary() {
        HeapConfig cfg = TestHeaps.small().withFfiCheck(true).withVerifyHeap(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            heap.installClass(ClassIndex.BYTE_ARRAY, heap.classAt(cls));
            Handle keep = heap.handle(heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 1));
            heap.fullGC(); // keep is compacted down; nothing dead below what comes next
            long o = heap.pin(heap.allocateBytes(ClassIndex.BYTE_ARRAY, 32));
            heap.unpin(o);
            heap.store(keep.get(), 0, o);
            heap.ffiCanaries().watch(o, "ByteArray", "f");
            heap.fullGC();
            assertEquals(o, heap.fetch(keep.get(), 0));
            assertEquals(0, heap.ffiCanaries().canaryCount());
        }
    }

    @Test
    void deadObjectsAreNoLongerWatched() {
        HeapConfig cfg = TestHeaps.small().withFfiCheck(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            Handle keep = heap.handle(heap.allocatePointers(TestHeaps.testClass(heap), Format.INDEXABLE_POINTERS, 2));
            setUp(heap, keep, 2);
            heap.store(keep.get(), 1, Tags.smallInteger(0));
            heap.fullGC();
            assertEquals(1, heap.ffiCanaries().watchedCount());
        }
    }
}
