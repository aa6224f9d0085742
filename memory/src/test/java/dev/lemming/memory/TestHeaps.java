package dev.lemming.memory;

import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;

/** Small heaps for tests, and a class to give test objects. */
final class TestHeaps {
    private TestHeaps() {}

    static HeapConfig small() {
        return HeapConfig.defaults().withYoung(64 << 10, 32 << 10).withSegmentBytes(256 << 10).withMaxHeap(256 << 20);
    }

    /** Registers a stand-in class object and answers its index. */
    static int testClass(Heap heap) {
        long cls = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 1);
        dev.lemming.memory.object.Layout.storeRaw(cls, 0, heap.nil());
        return heap.registerClass(cls);
    }
}
