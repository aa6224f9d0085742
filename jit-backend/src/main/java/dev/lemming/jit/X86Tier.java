package dev.lemming.jit;

import dev.lemming.interpreter.exec.ExecutionTier;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.jit.compiler.MethodCompiler;
import dev.lemming.jit.runtime.JitState;
import dev.lemming.jit.stencil.StencilCache;
import dev.lemming.jit.stencil.StencilSet;
import dev.lemming.jit.zone.CodeZone;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The x86-64 template JIT of one VM: its code zone, its state block, the methods it compiled.
 * Machine code is entered through one downcall handle (the enter stub) and leaves through the
 * exit stub, answering the bytecode index the interpreter executes next.
 */
public final class X86Tier implements ExecutionTier {
    public static final long DEFAULT_ZONE_BYTES = 16L << 20;

    private final Interpreter interpreter;
    private final StencilSet stencils;
    private final CodeZone zone;
    private final JitState state;
    private final MethodHandle enter;
    private final long exitStub, stubsEnd;
    private final MethodCompiler compiler;
    private final List<MethodMirror> compiled = new ArrayList<>();
    private final List<CompiledMethod> listing = new ArrayList<>();
    public final JitStats stats = new JitStats();

    /** What disasm needs to annotate a compiled method. */
    public record CompiledMethod(MethodMirror mirror, long address, MethodCompiler.Code code) {}

    public X86Tier(Interpreter interpreter) { this(interpreter, Long.getLong("lemming.jit.zone", DEFAULT_ZONE_BYTES)); }

    public X86Tier(Interpreter interpreter, long zoneBytes) {
        this.interpreter = interpreter;
        this.stencils = StencilCache.x86_64();
        this.zone = new CodeZone(zoneBytes);
        this.state = new JitState(interpreter.universe());
        long enterStub = zone.install(stencils.get("enter").code());
        exitStub = zone.install(stencils.get("exit").code());
        stubsEnd = zone.next();
        // critical: the machine code is short and never calls back into Java
        enter = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(enterStub),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.critical(false));
        compiler = new MethodCompiler(stencils, exitStub);
    }

    @Override
    public void compile(MethodMirror m) {
        if (m.isPrimitiveMethod || m.entries != null) return;
        long t0 = System.nanoTime();
        MethodCompiler.Code code = compiler.compile(m, zone.next());
        if (!zone.fits(code.bytes().length)) {
            evictAll();
            if (!zone.fits(code.bytes().length)) return; // larger than the whole zone: stays interpreted
            code = compiler.compile(m, zone.next());
        }
        long at = zone.install(code.bytes());
        m.entries = code.entries();
        compiled.add(m);
        listing.add(new CompiledMethod(m, at, code));
        stats.compiled(m.code.length, code.bytes().length, System.nanoTime() - t0);
    }

    /**
     * The zone is full: every method goes back to the interpreter. Nothing runs in the zone now
     * (machine code never calls Java, and a compile happens only in Java), and machine code
     * never jumps to another method's code, so there are no call sites to unlink yet.
     */
    private void evictAll() {
        for (MethodMirror m : compiled) m.entries = null;
        compiled.clear();
        listing.clear();
        zone.reset(stubsEnd);
        stats.evictions++;
    }

    private long lastSp;

    @Override
    public int run(long fp, long sp, long entry) {
        if (entry == 0) throw new IllegalStateException("machine code entered between bytecodes");
        state.refreshConstants();
        stats.entries++;
        int ip;
        try {
            ip = (int) (long) enter.invokeExact(fp, sp, entry, state.address);
        } catch (Throwable t) {
            throw new IllegalStateException("machine code entry failed", t);
        }
        lastSp = dev.lemming.memory.RawMemory.getLong(state.address + JitState.SP);
        return ip;
    }

    @Override public long sp() { return lastSp; }

    @Override public void interrupt(boolean requested) { state.interrupt(requested); }

    /** The compiled method whose code contains {@code address}, or null. */
    public CompiledMethod methodAt(long address) {
        for (CompiledMethod c : listing) if (address >= c.address() && address < c.address() + c.code().bytes().length) return c;
        return null;
    }

    public CompiledMethod compiledMethod(MethodMirror m) {
        for (CompiledMethod c : listing) if (c.mirror() == m) return c;
        return null;
    }

    public StencilSet stencils() { return stencils; }
    public long exitStub() { return exitStub; }

    @Override
    public String stats() {
        return stats.report(zone.used(), zone.capacity(), StencilCache.provenance);
    }

    @Override
    public void close() {
        for (MethodMirror m : compiled) m.entries = null;
        zone.close();
        state.close();
    }
}
