package dev.lemming.jit.runtime;

import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.memory.Heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.lemming.memory.RawMemory.putLong;

/**
 * The block of native memory that machine code reaches through r13: the saved sp and fp, the
 * constants it compares with, the globals array, the young space's bounds for the write barrier, the interrupt
 * flag, the stack zone's base and limit, and the mirror table (a method's entry table by the
 * mirror id its frames hold, 0 when it has no machine code) that returns use to find the
 * caller's code, and eden's allocation pointer and end while machine code runs (it bumps the
 * pointer itself; the VM copies it in before an entry and back after the exit). nil, true and
 * false are pinned and written once; the globals array, which a full GC may move, before every entry.
 */
public final class JitState {
    public static final int SP = 0, NIL = 8, TRUE = 16, FALSE = 24, YOUNG_START = 32, YOUNG_SIZE = 40, INTERRUPT = 48,
            FP = 56, STACK_BASE = 64, STACK_LIMIT = 72, MIRROR_TABLE = 80, MIRROR_COUNT = 88,
            EDEN_TOP = 96, EDEN_END = 104, GLOBALS = 112,
            // native callbacks (see dev.lemming.jit.callback.CallbackEntries)
            CALLBACK_OK = 120, CALLER_MARKER = 128, CUR_SP = 136, VM_THREAD = 144,
            // the native stack of the running entry (the enter and exit stencils use these two by number)
            ENTRY_RSP = 152, NATIVE_LIMIT = 160, SIZE = 168;

    private final Arena arena = Arena.ofShared();
    public final long address;
    private final Universe u;

    private final long stackLimit;
    private long mirrorTable;
    private int mirrorCapacity;

    public JitState(Universe u, long stackBase, long stackLimit) {
        this.u = u;
        address = arena.allocate(SIZE, 16).address();
        putLong(address + STACK_BASE, stackBase);
        this.stackLimit = stackLimit;
        putLong(address + STACK_LIMIT, stackLimit);
        growMirrorTable(4096);
        Heap heap = u.heap;
        putLong(address + YOUNG_START, heap.young.edenStart);
        putLong(address + YOUNG_SIZE, heap.young.mapping.end() - heap.young.edenStart);
        putLong(address + INTERRUPT, 0);
        // pinned objects (Heap and Universe pin them): their addresses never change
        putLong(address + NIL, u.nil);
        putLong(address + TRUE, u.trueObject);
        putLong(address + FALSE, u.falseObject);
    }

    /** The globals array is an ordinary object (it grows, and a full GC may move it): read afresh at every entry. */
    public void refreshGlobals() {
        putLong(address + GLOBALS, u.heap.specialObject(dev.lemming.interpreter.runtime.ObjectModel.SPECIAL_GLOBALS));
    }

    /** Method {@code mirrorId} has machine code whose entry table (by bytecode index) is at {@code entryTable} (0: none). */
    public void setEntryTable(int mirrorId, long entryTable) {
        if (mirrorId >= mirrorCapacity) growMirrorTable(Math.max(mirrorId + 1, mirrorCapacity * 2));
        putLong(mirrorTable + 8L * mirrorId, entryTable);
    }

    public void clearEntryTables() {
        MemorySegment.ofAddress(mirrorTable).reinterpret(8L * mirrorCapacity).fill((byte) 0);
    }

    private void growMirrorTable(int capacity) {
        long table = arena.allocate(8L * capacity, 8).address(); // zeroed; the old one stays allocated until close
        if (mirrorTable != 0) MemorySegment.copy(MemorySegment.ofAddress(mirrorTable).reinterpret(8L * mirrorCapacity), 0,
                MemorySegment.ofAddress(table).reinterpret(8L * capacity), 0, 8L * mirrorCapacity);
        mirrorTable = table;
        mirrorCapacity = capacity;
        putLong(address + MIRROR_TABLE, table);
        putLong(address + MIRROR_COUNT, capacity);
    }

    /** Native memory for the tier's own data (send cells), freed with the tier. */
    public long allocate(long bytes) { return arena.allocate(bytes, 16).address(); }

    /**
     * A pending interrupt also sets the stack limit to 0: every frame that machine code builds
     * then fails its stack check and goes to the interpreter, which handles the interrupt, so
     * sends need no check of the flag of their own (back jumps and callback entries read it).
     */
    public void interrupt(boolean requested) {
        putLong(address + INTERRUPT, requested ? 1 : 0);
        putLong(address + STACK_LIMIT, requested ? 0 : stackLimit);
    }

    public void close() { arena.close(); }
}
