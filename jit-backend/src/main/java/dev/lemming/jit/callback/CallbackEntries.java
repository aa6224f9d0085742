package dev.lemming.jit.callback;

import dev.lemming.interpreter.exec.Frame;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.interpreter.exec.NativeCallbacks;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.jit.runtime.JitState;
import dev.lemming.jit.stencil.Hole;
import dev.lemming.jit.stencil.Stencil;
import dev.lemming.jit.zone.CodeZone;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.space.YoungSpace;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The x86-64 callback entries (the callback_entry stencil, one copy per callback slot): native
 * code calls a callback's block without an upcall into Java when the block has machine code.
 * Each entry reads a cell of native memory that this class keeps up to date: the block and its
 * machine code, how to convert the arguments, and where Java is when machine code cannot go on.
 *
 * <p>Entries and cells are never freed, like the FFM upcalls they fall back to: native
 * code may keep a function pointer past everything. They live in one process-wide zone; when a
 * tier closes, its cells are emptied (every call then goes to the slot's Java entry, before the
 * entry touches the closed tier's state block).
 */
public final class CallbackEntries implements NativeCallbacks {
    // the cell, read by the stencil
    static final int CLOSURE = 0, CODE = 8, METHOD = 16, MIRROR = 24, TEMPS = 32, STACK_BYTES = 40, STATE = 48, JAVA = 56,
            RESUME = 64, ENTER = 72, SLOT = 80, NARGS = 88, ALLOC_BYTES = 96, ADDRESS_HEADER = 104, ADDRESS_BYTES = 112,
            RESULT_MIN = 120, RESULT_MAX = 128, RESULT = 136, RUNS = 144, CONVERSIONS = 152, CELL_SIZE = 160;
    // RESULT: what the entry does with the block's result
    static final int RESULT_IGNORED = 0, RESULT_INTEGER = 1, RESULT_BY_JAVA = 2;

    /** Room for some 3,000 entries; beyond that slots get no entry (their calls go through Java). */
    private static final long ZONE_BYTES = 1L << 20;
    private static CodeZone zone;

    private static final MethodHandle PTHREAD_SELF = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("pthread_self").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG));

    private final Interpreter interpreter;
    private final JitState state;
    private final Stencil stencil;
    private final long enterRoutine;
    private final boolean tortured;
    /** entry address -> cell */
    private final Map<Long, Long> cells = new java.util.HashMap<>();
    /** The outer native calls' callback_ok, caller marker and sp, three words each (no allocation per native call). */
    private long[] outer = new long[3 * 8];
    private int depth;
    /** Cells whose block waits for machine code, or has some. */
    private final List<Long> bound = new ArrayList<>();

    public CallbackEntries(Interpreter interpreter, JitState state, Stencil stencil, long enterRoutine) {
        this.interpreter = interpreter;
        this.state = state;
        this.stencil = stencil;
        this.enterRoutine = enterRoutine;
        this.tortured = interpreter.heap.config.gcTorture();
    }

    @Override
    public long newEntry(int slotId, long javaEntry, long resumeEntry, int[] conversions, boolean voidResult, boolean integerResult,
                         long resultMin, long resultMax, int addressClassIndex, int addressFields) {
        if (conversions.length > MAX_ARGUMENTS || addressFields < 1 || addressFields >= Header.OVERFLOW_SLOTS) return 0;
        long cell = Arena.global().allocate(CELL_SIZE, 16).address();
        byte[] code = stencil.code().clone();
        java.nio.ByteBuffer patch = java.nio.ByteBuffer.wrap(code).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (Hole h : stencil.holes()) {
            long v = switch (h.name()) {
                case "cell" -> cell;
                case "closure" -> CLOSURE; case "code" -> CODE; case "method" -> METHOD; case "mirror" -> MIRROR;
                case "temps" -> TEMPS; case "stack_bytes" -> STACK_BYTES; case "state" -> STATE; case "java" -> JAVA;
                case "resume" -> RESUME; case "enter" -> ENTER; case "slot" -> SLOT; case "nargs" -> NARGS;
                case "alloc_bytes" -> ALLOC_BYTES; case "address_header" -> ADDRESS_HEADER; case "address_bytes" -> ADDRESS_BYTES;
                case "result_min" -> RESULT_MIN; case "result_max" -> RESULT_MAX; case "result" -> RESULT; case "runs" -> RUNS;
                case "conversions" -> CONVERSIONS;
                case "callback_ok" -> JitState.CALLBACK_OK; case "vm_thread" -> JitState.VM_THREAD; case "interrupt" -> JitState.INTERRUPT;
                case "eden_top" -> JitState.EDEN_TOP; case "eden_end" -> JitState.EDEN_END; case "cur_sp" -> JitState.CUR_SP;
                case "caller_marker" -> JitState.CALLER_MARKER; case "stack_limit" -> JitState.STACK_LIMIT;
                case "nil" -> JitState.NIL; case "sp" -> JitState.SP; case "fp" -> JitState.FP;
                case "block_receiver" -> Layout.slotAddress(0, ObjectModel.BLOCK_RECEIVER);
                case "outer_env" -> Layout.slotAddress(0, ObjectModel.BLOCK_OUTER_ENV);
                default -> throw new IllegalStateException("callback_entry: no value for hole " + h.name());
            };
            if (h.kind() == Hole.Kind.ABS64) patch.putLong(h.offset(), v);
            else if (h.kind() == Hole.Kind.ABS32) patch.putInt(h.offset(), Math.toIntExact(v));
            else throw new IllegalStateException("callback_entry: a jump hole " + h.name());
        }
        long entry;
        synchronized (CallbackEntries.class) {
            if (zone == null) zone = new CodeZone(ZONE_BYTES);
            if (!zone.fits(code.length)) return 0;
            entry = zone.install(code);
        }
        dev.lemming.jit.perf.PerfMap.name(entry, code.length, "lemming callback entry, slot " + slotId);
        long pointers = java.util.Arrays.stream(conversions).filter(c -> c == POINTER).count();
        long addressBytes = Layout.chunkBytesFor(addressFields);
        put(cell, STATE, state.address);
        put(cell, JAVA, javaEntry);
        put(cell, RESUME, resumeEntry);
        put(cell, ENTER, enterRoutine);
        put(cell, SLOT, slotId);
        put(cell, NARGS, conversions.length);
        put(cell, ALLOC_BYTES, pointers * addressBytes);
        put(cell, ADDRESS_HEADER, Header.make(addressClassIndex, Format.FIXED_POINTERS, addressFields));
        put(cell, ADDRESS_BYTES, addressBytes);
        put(cell, RESULT_MIN, resultMin);
        put(cell, RESULT_MAX, resultMax);
        put(cell, RESULT, voidResult ? RESULT_IGNORED : integerResult ? RESULT_INTEGER : RESULT_BY_JAVA);
        for (int i = 0; i < conversions.length; i++) RawMemory.putByte(cell + CONVERSIONS + i, (byte) conversions[i]);
        if (RawMemory.getLong(state.address + JitState.VM_THREAD) == 0) put(state.address, JitState.VM_THREAD, pthreadSelf());
        cells.put(entry, cell);
        return entry;
    }

    private static long pthreadSelf() {
        try {
            return (long) PTHREAD_SELF.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("pthread_self failed", t);
        }
    }

    private long cell(long entry) {
        Long c = cells.get(entry);
        if (c == null) throw new IllegalArgumentException("not a callback entry of this tier: 0x" + Long.toHexString(entry));
        return c;
    }

    @Override
    public void bind(long entry, long closure, MethodMirror block) {
        long cell = cell(entry);
        put(cell, CLOSURE, 0); // calls go to Java while the cell changes
        put(cell, METHOD, block.method);
        put(cell, MIRROR, Tags.smallInteger(block.id));
        put(cell, TEMPS, block.numTemps);
        put(cell, STACK_BYTES, 8L * (1 + block.numArgs) + block.frameBytes());
        put(cell, CODE, 0);
        if (!bound.contains(cell)) bound.add(cell);
        compiled(block);
        put(cell, CLOSURE, closure);
    }

    // unbind, moved and machineCodeRuns may come after close (a free or a collection while the VM
    // shuts down): the entry's cell is no longer this tier's, and every call goes to Java anyway

    @Override
    public void unbind(long entry) {
        Long cell = cells.get(entry);
        if (cell == null) return;
        put(cell, CLOSURE, 0);
        put(cell, CODE, 0);
        bound.remove(cell);
    }

    @Override
    public void moved(long entry, long closure) {
        Long cell = cells.get(entry);
        if (cell != null) put(cell, CLOSURE, closure);
    }

    @Override
    public long machineCodeRuns(long entry) {
        Long cell = cells.get(entry);
        return cell == null ? 0 : RawMemory.getLong(cell + RUNS);
    }

    /** For --jit-stats: how many callbacks native code ran in machine code. */
    public String report() {
        if (cells.isEmpty()) return "";
        long runs = 0;
        for (long cell : cells.values()) runs += RawMemory.getLong(cell + RUNS);
        return String.format("jit: callbacks entered from native code straight into machine code: %,d (%d callback entries)%n", runs, cells.size());
    }

    /** {@code m} has machine code now (or lost it): the cells of its blocks follow. */
    public void compiled(MethodMirror m) {
        for (long cell : bound)
            if (RawMemory.getLong(cell + METHOD) == m.method) put(cell, CODE, directEntry(m));
    }

    private static long directEntry(MethodMirror m) {
        return m.tierData instanceof dev.lemming.jit.X86Tier.CompiledMethod cm ? cm.code().directEntry() : 0;
    }

    /** Every method lost its machine code. */
    public void evicted() { for (long cell : bound) put(cell, CODE, 0); }

    /** The tier closes: its entries go to Java for good (their cells outlive the tier). */
    public void close() {
        for (long cell : cells.values()) { put(cell, CLOSURE, 0); put(cell, CODE, 0); }
        cells.clear();
        bound.clear();
    }

    @Override
    public void nativeCallStarted(long fp, long sp) {
        long s = state.address;
        if (3 * depth == outer.length) outer = java.util.Arrays.copyOf(outer, 2 * outer.length);
        outer[3 * depth] = RawMemory.getLong(s + JitState.CALLBACK_OK);
        outer[3 * depth + 1] = RawMemory.getLong(s + JitState.CALLER_MARKER);
        outer[3 * depth + 2] = RawMemory.getLong(s + JitState.CUR_SP);
        depth++;
        // a callback's frame is a run loop's first frame, whose caller slot names the frame below (as valueBlockWith makes it)
        put(s, JitState.CALLER_MARKER, Frame.entryMarker(fp, interpreter.stackBase()));
        put(s, JitState.CUR_SP, sp);
        put(s, JitState.CALLBACK_OK, 1);
        publish();
    }

    @Override
    public void nativeCallEnded() {
        javaEntered();
        depth--;
        long s = state.address;
        put(s, JitState.CALLBACK_OK, outer[3 * depth]);
        put(s, JitState.CALLER_MARKER, outer[3 * depth + 1]);
        put(s, JitState.CUR_SP, outer[3 * depth + 2]);
    }

    @Override
    public void unwinding() { if (depth > 0) put(state.address, JitState.CALLBACK_OK, 0); }

    // While native code runs during a native call, eden's allocation pointer is the state block's
    // (callback entries and their machine code bump it); while Java runs, the young space's.
    @Override
    public void javaEntered() {
        if (depth > 0) interpreter.heap.young.setEdenTop(RawMemory.getLong(state.address + JitState.EDEN_TOP));
    }

    @Override
    public void javaLeaving() { if (depth > 0) publish(); }

    private void publish() {
        YoungSpace young = interpreter.heap.young;
        put(state.address, JitState.EDEN_TOP, young.edenTop());
        // under --gc-torture every allocation must reach the heap (it collects there)
        put(state.address, JitState.EDEN_END, tortured ? young.edenTop() : young.edenEnd);
        state.refreshGlobals(); // a collection in Java may have moved the globals array
    }

    private static void put(long base, long offset, long value) { RawMemory.putLong(base + offset, value); }
}
