package dev.lemming.memory.roots;

import java.util.Arrays;

/**
 * The references Java code holds across allocations. A Java local must never keep a raw
 * reference across anything that can allocate (a collection may move the object); it keeps a
 * {@link Handle} instead, which the collectors update. Handles are released in scopes
 * (try-with-resources), innermost first.
 */
public final class Handles implements RootProvider {
    private long[] slots = new long[64];
    private int top;

    public HandleScope scope() { return new HandleScope(this, top); }

    public Handle push(long reference) {
        if (top == slots.length) slots = Arrays.copyOf(slots, top * 2);
        slots[top] = reference;
        return new Handle(this, top++);
    }

    long get(int index) { return slots[index]; }
    void set(int index, long reference) { slots[index] = reference; }
    int top() { return top; }

    void release(int mark) {
        if (mark > top) throw new IllegalStateException("handle scopes closed out of order");
        Arrays.fill(slots, mark, top, 0);
        top = mark;
    }

    @Override
    public void visitRoots(RootVisitor visitor) {
        for (int i = 0; i < top; i++) slots[i] = visitor.visit(slots[i]);
    }
}
