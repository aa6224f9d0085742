package dev.lemming.memory;

import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HeapTest {
    @Test
    void freshHeapHasNilSpecialObjectsAndClassTable() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            assertEquals(ClassIndex.NIL, heap.classIndexOf(heap.nil()));
            assertEquals(heap.nil(), heap.specialObject(Heap.SPECIAL_NIL));
            assertEquals(ClassIndex.ARRAY, heap.classIndexOf(heap.classTable()));
            assertTrue(heap.isOldObject(heap.nil()));
            heap.verify("fresh");
        }
    }

    @Test
    void allocatedObjectsHaveTheirFormatSizeAndInitialContents() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            int cls = TestHeaps.testClass(heap);
            long p = heap.allocatePointers(cls, Format.FIXED_POINTERS, 3);
            assertEquals(3, heap.numSlots(p));
            for (int i = 0; i < 3; i++) assertEquals(heap.nil(), heap.fetch(p, i));
            assertTrue(heap.isYoungObject(p));

            long b = heap.allocateBytes(cls, 13);
            assertEquals(13, Layout.byteSize(b));
            assertTrue(Format.isBytes(Header.format(Layout.header(b))));
            for (int i = 0; i < 13; i++) assertEquals(0, RawMemory.getByte(Layout.firstByteAddress(b) + i));

            long w = heap.allocateWords(cls, 4);
            assertEquals(4, heap.numSlots(w));
            assertEquals(0, Layout.pointerSlots(w));

            long m = heap.allocateCompiledMethod(cls, 2, 5, 11);
            assertEquals(3, Layout.pointerSlots(m), "method header plus two literals");
            assertEquals(5, Tags.smallIntegerValue(heap.fetch(m, 0)) >> 16);

            long empty = heap.allocatePointers(cls, Format.FIXED_POINTERS, 0);
            assertEquals(0, heap.numSlots(empty));
            assertEquals(Layout.MIN_CHUNK, Layout.chunkSize(empty), "an empty object still has room for a forwarding pointer");
            heap.verify("after allocation");
        }
    }

    @Test
    void largeSlotCountsUseTheOverflowWord() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            int cls = TestHeaps.testClass(heap);
            for (long n : new long[]{254, 255, 256, 3000}) {
                long a = heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, n);
                assertEquals(n, heap.numSlots(a));
                assertEquals(n >= 255, Layout.hasOverflowWord(a));
                assertEquals(a, Layout.oopAtChunk(Layout.chunkStart(a)));
                heap.store(a, n - 1, Tags.smallInteger(n));
                assertEquals(Tags.smallInteger(n), heap.fetch(a, n - 1));
            }
            heap.verify("after large allocations");
        }
    }

    @Test
    void identityHashIsStableAcrossCollectionsAndNeverZero() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            int cls = TestHeaps.testClass(heap);
            try (var s = heap.scope()) {
                Handle h = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
                int hash = heap.identityHash(h.get());
                assertNotEquals(0, hash);
                heap.scavenge();
                assertEquals(hash, heap.identityHash(h.get()));
                heap.fullGC();
                assertEquals(hash, heap.identityHash(h.get()));
            }
        }
    }

    @Test
    void registeredClassesGetTheirIndexAsHashAndTheTableGrows() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            int first = -1, last = -1;
            for (int i = 0; i < 2000; i++) {
                long cls = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 1);
                Layout.storeRaw(cls, 0, heap.nil());
                last = heap.registerClass(cls);
                if (first < 0) first = last;
                assertEquals(last, heap.identityHash(cls));
                assertEquals(cls, heap.classAt(last));
            }
            assertEquals(ClassIndex.FIRST_UNRESERVED, first);
            assertTrue(heap.classTableSize() > 2000);
            heap.fullGC();
            heap.verify("after growth");
        }
    }

    @Test
    void runningOutOfHeapIsAClearError() {
        HeapConfig cfg = TestHeaps.small().withMaxHeap(1 << 20);
        try (Heap heap = Heap.create(cfg)) {
            int cls = TestHeaps.testClass(heap);
            long arr = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 1000);
            RawMemory.fillLongs(Layout.slotAddress(arr, 0), 1000, heap.nil());
            heap.setSpecialObject(10, arr);
            OutOfHeapException e = assertThrows(OutOfHeapException.class, () -> {
                for (int i = 0; ; i++) heap.store(heap.specialObject(10), i % 1000, heap.allocatePointers(cls, Format.INDEXABLE_POINTERS, 4000));
            });
            assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
        }
    }

    @Test
    void handleScopesReleaseTheirHandles() {
        try (Heap heap = Heap.create(TestHeaps.small())) {
            var s = heap.scope();
            Handle h = heap.handle(heap.nil());
            s.close();
            assertThrows(IllegalStateException.class, h::get);
        }
    }
}
