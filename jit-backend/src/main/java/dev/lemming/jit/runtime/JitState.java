package dev.lemming.jit.runtime;

import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.memory.Heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.lemming.memory.RawMemory.putLong;

/**
 * The block of native memory that machine code reaches through r13: the saved sp, the
 * constants it compares with, the young space's bounds for the write barrier and the interrupt
 * flag. nil, true and false are written before every entry, so a collection or an image load
 * that moved them is never seen stale.
 */
public final class JitState {
    public static final int SP = 0, NIL = 8, TRUE = 16, FALSE = 24, YOUNG_START = 32, YOUNG_SIZE = 40, INTERRUPT = 48, SIZE = 64;

    private final Arena arena = Arena.ofShared();
    public final long address;
    private final Universe u;

    public JitState(Universe u) {
        this.u = u;
        address = arena.allocate(SIZE, 16).address();
        Heap heap = u.heap;
        putLong(address + YOUNG_START, heap.young.edenStart);
        putLong(address + YOUNG_SIZE, heap.young.mapping.end() - heap.young.edenStart);
        putLong(address + INTERRUPT, 0);
    }

    public void refreshConstants() {
        putLong(address + NIL, u.nil);
        putLong(address + TRUE, u.trueObject);
        putLong(address + FALSE, u.falseObject);
    }

    public void interrupt(boolean requested) { putLong(address + INTERRUPT, requested ? 1 : 0); }

    public MemorySegment segment() { return MemorySegment.ofAddress(address).reinterpret(SIZE); }

    public void close() { arena.close(); }
}
