package dev.lemming.jit;

import dev.lemming.interpreter.bytecode.Bytecodes;
import dev.lemming.interpreter.exec.ExecutionTier;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.interpreter.exec.NativeCallbacks;
import dev.lemming.jit.callback.CallbackEntries;
import dev.lemming.jit.disasm.Disassembler;
import dev.lemming.jit.perf.PerfMap;
import dev.lemming.jit.compiler.MethodCompiler;
import dev.lemming.jit.runtime.JitState;
import dev.lemming.jit.stencil.StencilCache;
import dev.lemming.jit.stencil.StencilSet;
import dev.lemming.jit.zone.CodeZone;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.interpreter.bytecode.MethodHeader;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The x86-64 template JIT of one VM: its code zone, its state block, the methods it compiled.
 * Machine code is entered through one downcall handle (the enter routine) and leaves through the
 * exit routine, answering the bytecode index the interpreter executes next.
 */
public final class X86Tier implements ExecutionTier {
    public static final long DEFAULT_ZONE_BYTES = 16L << 20;

    private final Interpreter interpreter;
    private final StencilSet stencils;
    private final CodeZone zone;
    private final JitState state;
    private final MethodHandle enter;
    private final long exitRoutine, routinesEnd;
    private final MethodCompiler compiler;
    private final CallbackEntries callbacks;
    private final List<CompiledMethod> compiled = new ArrayList<>();
    public final JitStats stats = new JitStats();

    /** What disasm needs to annotate a compiled method, and its send sites' inline-cache cells by bytecode index. */
    public record CompiledMethod(MethodMirror mirror, long address, MethodCompiler.Code code, long[] cells, long[] blockCells) {}

    /** A send cell: 6 entries of class index, target code, target method, target mirror id (tagged), temps, frame bytes, hits, trivial (see the send stencil). */
    static final int CELL_CLASS = 0, CELL_CODE = 8, CELL_METHOD = 16, CELL_MIRROR = 24, CELL_TEMPS = 32, CELL_FRAME_BYTES = 40,
            CELL_HITS = 48, CELL_TRIVIAL = 56, CELL_HEADER = 64, ENTRY_SIZE = 72, ENTRIES = 6, CELL_SIZE = ENTRY_SIZE * ENTRIES,
            BLOCK_ENTRY_SIZE = 40, BLOCK_ENTRIES = 8, BLOCK_CELL_SIZE = BLOCK_ENTRY_SIZE * BLOCK_ENTRIES;
    /** A block cell: 8 entries of block method (0: empty), direct entry, mirror id (tagged), temps, frame bytes. */
    static final int BLOCK_CODE = 8, BLOCK_MIRROR = 16, BLOCK_TEMPS = 24, BLOCK_FRAME_BYTES = 32;

    public X86Tier(Interpreter interpreter) { this(interpreter, Long.getLong("lemming.jit.zone", DEFAULT_ZONE_BYTES)); }

    public X86Tier(Interpreter interpreter, long zoneBytes) {
        this.interpreter = interpreter;
        this.stencils = StencilCache.x86_64();
        this.zone = new CodeZone(zoneBytes);
        this.state = new JitState(interpreter.universe(), interpreter.stackBase(), interpreter.stackLimit());
        long enterRoutine = zone.install(stencils.get("enter").code());
        exitRoutine = zone.install(stencils.get("exit").code());
        PerfMap.name(enterRoutine, stencils.get("enter").size(), "lemming enter routine");
        PerfMap.name(exitRoutine, stencils.get("exit").size(), "lemming exit routine");
        routinesEnd = zone.next();
        // critical: the machine code is short and never calls back into Java
        enter = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(enterRoutine),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.critical(false));
        compiler = new MethodCompiler(stencils, exitRoutine, interpreter);
        callbacks = new CallbackEntries(interpreter, state, stencils.get("callback_entry"), enterRoutine);
        tortured = interpreter.heap.config.gcTorture();
    }

    /** How deep compiling a method first compiles the methods its sends reached (see compileCallees). */
    private static final int CALLEE_DEPTH = 2;
    private int calleeDepth;

    @Override
    public void compile(MethodMirror m) {
        if (m.isPrimitiveMethod || m.entries != null) return;
        compileCallees(m);
        if (m.entries != null) return; // a recursion compiled it
        long t0 = System.nanoTime();
        // by bytecode index (0: no cell), read at every send the interpreter does for machine code
        long[] cells = new long[m.code.length], blockCells = new long[m.code.length];
        MethodCompiler.SendCells cellFor = new MethodCompiler.SendCells() {
            public long cellFor(int ip) { return cells[ip] != 0 ? cells[ip] : (cells[ip] = newCell()); }
            public long blockCellFor(int ip) { return blockCells[ip] != 0 ? blockCells[ip] : (blockCells[ip] = newCell(BLOCK_CELL_SIZE)); }
            public long directEntry(MethodMirror target) { return target.tierData instanceof CompiledMethod c ? c.code().directEntry() : 0; }
        };
        MethodCompiler.Code code = compiler.compile(m, zone.next(), cellFor);
        byte[] image = withEntryTable(m, code);
        if (!zone.fits(image.length)) {
            evictAll();
            stats.evictions++;
            if (!zone.fits(image.length)) return; // larger than the whole zone: stays interpreted
            code = compiler.compile(m, zone.next(), cellFor);
            image = withEntryTable(m, code);
        }
        long at = zone.install(image);
        PerfMap.name(at, code.bytes().length, "SOM " + interpreter.describe(m));
        m.installMachineCode(code.entries());
        state.setEntryTable(m.id, at + entryTableOffset(code));
        CompiledMethod cm = new CompiledMethod(m, at, code, cells, blockCells);
        m.tierData = cm;
        compiled.add(cm);
        callbacks.compiled(m);
        if (PerfMap.enabled() && PerfMap.listings()) PerfMap.listing(at, Disassembler.listing(interpreter, this, cm));
        stats.compiled(m.code.length, code.bytes().length, System.nanoTime() - t0);
    }

    /**
     * The methods m's sends reached so far (its inline caches), compiled first when they are not
     * yet: a send to a method with machine code is then called directly (MethodCompiler's
     * send_direct). Callers usually reach the threshold before their callees do.
     */
    private void compileCallees(MethodMirror m) {
        if (calleeDepth >= CALLEE_DEPTH) return;
        calleeDepth++;
        try {
            for (int ip = 0; ip < m.code.length; ip += Bytecodes.length(m.code[ip])) {
                if (m.code[ip] != Bytecodes.SEND || m.cachedClass(ip) < 0) continue;
                MethodMirror t = m.cachedTarget(ip);
                if (t != null && t != m && t.entries == null && MethodCompiler.callableDirectly(t)) compile(t);
            }
        } finally {
            calleeDepth--;
        }
    }

    private long newCell(long bytes) { return state.allocate(bytes); }

    private long newCell() {
        long c = state.allocate(CELL_SIZE);
        for (int e = 0; e < ENTRIES; e++) RawMemory.putLong(c + (long) e * ENTRY_SIZE + CELL_CLASS, -1);
        return c;
    }

    /**
     * The code, then (8-byte aligned) the receiver's displacement from fp, and the entry table:
     * the address of every bytecode's code, for returns into it. Entries through the mirror
     * table (enter, a return) load r14 with the frame's receiver from the word before the table.
     */
    private static byte[] withEntryTable(MethodMirror m, MethodCompiler.Code code) {
        int off = entryTableOffset(code);
        byte[] image = java.util.Arrays.copyOf(code.bytes(), off + 8 * code.entries().length);
        var seg = java.lang.foreign.MemorySegment.ofArray(image);
        seg.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, off - 8, MethodCompiler.self(m));
        for (int i = 0; i < code.entries().length; i++) seg.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, off + 8L * i, code.entries()[i]);
        return image;
    }

    private static int entryTableOffset(MethodCompiler.Code code) { return ((code.bytes().length + 7) & ~7) + 8; }

    /** A block cell remembers the closure's method being evaluated, and its direct entry if it has machine code. */
    private void linkBlock(long cell, int nargs) {
        long closure = interpreter.stackValue(nargs);
        int ci = interpreter.heap.classIndexOf(closure);
        if (ci < ObjectModel.BLOCK1 || ci > ObjectModel.BLOCK3) return;
        MethodMirror block = interpreter.mirrorOf(interpreter.heap.fetch(closure, ObjectModel.BLOCK_METHOD));
        long code = block.numArgs == nargs && block.tierData instanceof CompiledMethod cm ? cm.code().directEntry() : 0;
        long entry = 0;
        for (int e = 0; e < BLOCK_ENTRIES && entry == 0; e++) {
            long at = cell + (long) e * BLOCK_ENTRY_SIZE, method = RawMemory.getLong(at);
            if (method == block.method || method == 0) entry = at;
        }
        if (entry == 0 || RawMemory.getLong(entry) == block.method && RawMemory.getLong(entry + BLOCK_CODE) == code) return; // 8 blocks seen, or linked already
        RawMemory.putLong(entry, block.method);
        RawMemory.putLong(entry + BLOCK_CODE, code);
        RawMemory.putLong(entry + BLOCK_MIRROR, Tags.smallInteger(block.id));
        RawMemory.putLong(entry + BLOCK_TEMPS, block.numTemps);
        RawMemory.putLong(entry + BLOCK_FRAME_BYTES, block.frameBytes());
        stats.links++;
    }

    @Override
    public void linkSend(MethodMirror sender, int site, int classIndex, MethodMirror target, long receiver) {
        if (!(sender.tierData instanceof CompiledMethod cm)) return;
        long blockCell = cm.blockCells()[site];
        if (blockCell != 0) linkBlock(blockCell, sender.code[site + 3]);
        long cell = cm.cells()[site];
        if (cell == 0) return;
        // machine code activates compiled methods itself (their prologue allocates an environment)
        long code = !target.isPrimitiveMethod && !target.isBlock() && target.tierData instanceof CompiledMethod t ? t.code().directEntry() : 0;
        long entry = 0;
        for (int e = 0; e < ENTRIES && entry == 0; e++) {
            long at = cell + (long) e * ENTRY_SIZE;
            long cls = RawMemory.getLong(at + CELL_CLASS);
            if (cls == classIndex || cls == -1) entry = at;
        }
        if (entry == 0) { stats.megamorphicMisses++; return; } // 6 classes seen: the interpreter's caches serve the rest
        // already linked as it would be now (a primitive's site comes back here at every call, its
        // code 0); a target compiled since it was linked gets its code written below
        if (RawMemory.getLong(entry + CELL_CLASS) == classIndex && RawMemory.getLong(entry + CELL_METHOD) == target.method
                && RawMemory.getLong(entry + CELL_CODE) == code) return;
        RawMemory.putLong(entry + CELL_CLASS, classIndex);
        RawMemory.putLong(entry + CELL_CODE, code);
        RawMemory.putLong(entry + CELL_METHOD, target.method);
        RawMemory.putLong(entry + CELL_MIRROR, Tags.smallInteger(target.id));
        RawMemory.putLong(entry + CELL_TEMPS, target.numTemps);
        RawMemory.putLong(entry + CELL_FRAME_BYTES, target.frameBytes());
        if (!linkInstantiate(entry, target, receiver)) {
            RawMemory.putLong(entry + CELL_TRIVIAL, trivial(target));
            RawMemory.putLong(entry + CELL_HEADER, 0);
        }
        stats.links++;
    }

    /**
     * Class>>new sent to a class of named fields (the receiver: its metaclass, the cell's key,
     * belongs to it alone): the send stencil bumps the instance in eden. Writes the entry's +56
     * word (chunk bytes << 3 | 5) and the instance header; answers false for any other target or
     * receiver.
     */
    private boolean linkInstantiate(long entry, MethodMirror target, long receiver) {
        if (!target.isPrimitiveMethod || target.literal(MethodHeader.SIGNATURE) != symbolNew()
                || target.literal(MethodHeader.HOLDER) != interpreter.heap.classAt(ObjectModel.CLASS)) return false;
        long spec = Tags.smallIntegerValue(RawMemory.getLong(Layout.slotAddress(receiver, ObjectModel.CLASS_SPEC)));
        int fields = ObjectModel.specFixedFields(spec);
        if (ObjectModel.specFormat(spec) != Format.FIXED_POINTERS || fields >= Header.OVERFLOW_SLOTS) return false;
        RawMemory.putLong(entry + CELL_TRIVIAL, Layout.chunkBytesFor(fields) << 3 | 5);
        RawMemory.putLong(entry + CELL_HEADER, Header.make(interpreter.universe().instanceIndex(receiver), Format.FIXED_POINTERS, fields));
        return true;
    }

    /** #new, looked up once (symbols are pinned). */
    private long symbolNew;
    private long symbolNew() { return symbolNew != 0 ? symbolNew : (symbolNew = interpreter.universe().symbol("new")); }

    /** What the send stencil does for a trivial target without a frame (its +56 word; the interpreter's performTrivial does the same). */
    private long trivial(MethodMirror target) {
        return switch (target.trivial) {
            case MethodMirror.GETTER -> Layout.slotAddress(0, target.trivialOperand) << 3 | 1;
            case MethodMirror.SETTER -> Layout.slotAddress(0, target.trivialOperand) << 3 | 2;
            case MethodMirror.SELF -> 3;
            // nil, true, false (pinned) and SmallIntegers never move; a literal may: the compiled method answers it
            case MethodMirror.CONSTANT -> target.code[0] == Bytecodes.PUSH_LITERAL ? 0 : interpreter.trivialConstant(target) << 3 | 4;
            default -> 0;
        };
    }

    /** Every method back to the interpreter, the zone starts over (isNil redefined; benchmarks of compile speed). */
    @Override public void discardAll() { evictAll(); }

    /**
     * The zone is full: every method goes back to the interpreter. Nothing runs in the zone now
     * (machine code never calls Java, and a compile happens only in Java), and machine code
     * reaches another method's code only through send cells (all of which belong to evicted
     * methods) and the mirror table (cleared here), so nothing can jump into the freed code.
     */
    private void evictAll() {
        for (CompiledMethod cm : compiled) cm.mirror().forgetMachineCode();
        callbacks.evicted();
        state.clearEntryTables(); // returns into evicted methods' frames go to the interpreter
        compiled.clear();
        zone.reset(routinesEnd);
    }

    private long lastSp, lastFp;
    private final boolean tortured;

    @Override
    public int run(long fp, long sp, long entry) {
        if (entry == 0) throw new IllegalStateException("machine code entered between bytecodes");
        state.refreshGlobals();
        var young = interpreter.heap.young;
        RawMemory.putLong(state.address + JitState.EDEN_TOP, young.edenTop());
        // under --gc-torture every allocation must reach the heap (it collects there): none in machine code
        RawMemory.putLong(state.address + JitState.EDEN_END, tortured ? young.edenTop() : young.edenEnd);
        stats.entries++;
        int ip;
        try {
            ip = (int) (long) enter.invokeExact(fp, sp, entry, state.address);
        } catch (Throwable t) {
            throw new IllegalStateException("machine code entry failed", t);
        }
        young.setEdenTop(RawMemory.getLong(state.address + JitState.EDEN_TOP));
        lastSp = RawMemory.getLong(state.address + JitState.SP);
        lastFp = RawMemory.getLong(state.address + JitState.FP);
        if (TRACE) trace(fp, entry, ip);
        if (PROFILE) profileExit(ip);
        return ip;
    }

    /** With --jit-stats: why machine code exits, by the bytecode the interpreter executes next. */
    private static final boolean PROFILE = Boolean.getBoolean(dev.lemming.interpreter.exec.JitSettings.STATS);
    private final java.util.HashMap<String, long[]> exits = new java.util.HashMap<>();

    private void profileExit(int ip) {
        exits.computeIfAbsent(whyExited(interpreter.mirrorAt(lastFp), ip), k -> new long[1])[0]++;
    }

    private String whyExited(MethodMirror m, int ip) {
        if (ip == FIRST_FRAME_RETURNED) return "the run loop's first frame returned";
        return ip < m.code.length ? dev.lemming.jit.disasm.Disassembler.describe(interpreter.universe(), m, ip) : "?";
    }

    /** -Dlemming.jit.trace=true: every entry and exit of machine code on stderr. */
    private static final boolean TRACE = Boolean.getBoolean("lemming.jit.trace");

    private void trace(long fp, long entry, int ip) {
        CompiledMethod in = methodAt(entry);
        MethodMirror out = interpreter.mirrorAt(lastFp);
        System.err.printf("jit: entered %s at bytecode %s, left %s at bytecode %d (%s), sp=fp%+d%n",
                in == null ? "?" : interpreter.describe(in.mirror()), in == null ? "?" : indexOf(in.code().entries(), entry),
                interpreter.describe(out), ip, whyExited(out, ip), lastSp - lastFp);
    }

    private static int indexOf(long[] entries, long entry) {
        for (int i = 0; i < entries.length; i++) if (entries[i] == entry) return i;
        return -1;
    }

    @Override public long sp() { return lastSp; }
    @Override public long fp() { return lastFp; }

    @Override public NativeCallbacks nativeCallbacks() { return callbacks; }

    @Override public void interrupt(boolean requested) { state.interrupt(requested); }

    /** The compiled method whose code contains {@code address}, or null. */
    public CompiledMethod methodAt(long address) {
        for (CompiledMethod c : compiled) if (address >= c.address() && address < c.address() + c.code().bytes().length) return c;
        return null;
    }

    public CompiledMethod compiledMethod(MethodMirror m) { return m.tierData instanceof CompiledMethod c ? c : null; }

    public long exitRoutine() { return exitRoutine; }

    @Override
    public String stats() {
        // hits by the kind of cache their site has now: one class (monomorphic) or several
        long mono = 0, poly = 0;
        int sitesMono = 0, sitesPoly = 0, sitesDirect = 0;
        for (CompiledMethod cm : compiled) {
            for (MethodCompiler.Piece p : cm.code().pieces()) if (p.stencil().name().equals("call_direct")) sitesDirect++;
            for (long cell : cm.cells()) {
                if (cell == 0) continue;
                int used = 0;
                long hits = 0;
                for (int e = 0; e < ENTRIES; e++) {
                    long at = cell + (long) e * ENTRY_SIZE;
                    if (RawMemory.getLong(at + CELL_CLASS) != -1) { used++; hits += RawMemory.getLong(at + CELL_HITS); }
                }
                if (used == 1) { mono += hits; sitesMono++; } else if (used > 1) { poly += hits; sitesPoly++; }
            }
        }
        return stats.report(zone.used(), zone.capacity(), StencilCache.provenance)
                + String.format("jit: machine-code send hits: monomorphic %d (%d sites), polymorphic %d (%d sites); megamorphic sends left to the interpreter: %d%n",
                mono, sitesMono, poly, sitesPoly, stats.megamorphicMisses)
                + String.format("jit: %d send sites call their target directly (not counted above)%n", sitesDirect)
                + callbacks.report()
                + topExits();
    }

    private String topExits() {
        StringBuilder sb = new StringBuilder();
        exits.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(12)
                .forEach(e -> sb.append(String.format("jit: exit %,12d x  %s%n", e.getValue()[0], e.getKey())));
        return sb.isEmpty() ? "" : "jit: most frequent exits to the interpreter (the bytecode it then executes):\n" + sb;
    }

    @Override
    public void close() {
        callbacks.close();
        for (CompiledMethod cm : compiled) cm.mirror().forgetMachineCode();
        zone.close();
        state.close();
    }
}
