package dev.lemming.memory.gc;

import dev.lemming.memory.Heap;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import java.util.Arrays;

/** Marks every object reachable from the roots, with an explicit mark stack (no recursion). */
public final class Marker {
    private final Heap heap;
    private long[] stack = new long[4096];
    private int top;

    public Marker(Heap heap) { this.heap = heap; }

    public void markFromRoots() {
        heap.forEachRoot(ref -> { mark(ref); return ref; });
        while (top > 0) {
            long oop = stack[--top];
            long n = Layout.pointerSlots(oop);
            for (long i = 0; i < n; i++) mark(Layout.fetch(oop, i));
        }
    }

    private void mark(long ref) {
        if ((ref & Tags.TAG_MASK) != 0 || ref == 0) return;
        long h = Layout.header(ref);
        if (Header.isMarked(h)) return;
        Layout.setHeader(ref, h | Header.MARKED_BIT);
        if (top == stack.length) stack = Arrays.copyOf(stack, top * 2);
        stack[top++] = ref;
    }
}
