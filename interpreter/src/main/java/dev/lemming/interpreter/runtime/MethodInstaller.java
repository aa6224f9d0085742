package dev.lemming.interpreter.runtime;

import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.interpreter.compiler.Ast;
import dev.lemming.interpreter.compiler.CompiledCode;
import dev.lemming.interpreter.compiler.Parser;
import dev.lemming.memory.Heap;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;

import java.math.BigInteger;

import static dev.lemming.interpreter.runtime.ObjectModel.*;

/**
 * Turns {@link CompiledCode} into compiled-method objects: pinned in old space (their addresses
 * key the interpreter's caches and will be baked into machine code), literals materialized.
 */
public final class MethodInstaller {
    private final Universe u;
    private final Heap heap;

    public MethodInstaller(Universe u) { this.u = u; this.heap = u.heap; }

    public long install(CompiledCode code, long holder, int primitive, int flags) {
        int numLiterals = MethodHeader.FIRST_LITERAL + code.literals().size();
        int classIndex = code.isPrimitive() ? PRIMITIVE : METHOD;
        long byteWords = (code.bytecodes().length + 7) / 8;
        long slots = 1 + numLiterals + byteWords;
        int format = Format.COMPILED_METHOD + (int) (byteWords * 8 - code.bytecodes().length);
        int allFlags = flags | (code.isBlock() ? MethodHeader.FLAG_BLOCK : 0);
        try (var s = heap.scope()) {
            Handle h = heap.handle(holder);
            // pinned: it will not move; in a handle: it stays alive while literals are made (it is reachable from nothing yet)
            long m = heap.allocatePinnedOld(classIndex, format, slots);
            heap.handle(m);
            Layout.storeRaw(m, 0, Tags.smallInteger(MethodHeader.headerBits(code.numArgs(), code.numTemps(), allFlags) << 16 | numLiterals));
            for (int i = 0; i < numLiterals; i++) Layout.storeRaw(m, 1 + i, u.nil);
            byte[] bc = code.bytecodes();
            for (int i = 0; i < bc.length; i++) RawMemory.putByte(Layout.slotAddress(m, 1 + numLiterals) + i, bc[i]);
            heap.store(m, 1 + MethodHeader.SIGNATURE, u.symbol(code.selector()));
            heap.store(m, 1 + MethodHeader.HOLDER, h.get());
            heap.store(m, 1 + MethodHeader.INFO, Tags.smallInteger(MethodHeader.info(primitive, code.envSlots(), code.maxStack())));
            for (int i = 0; i < code.literals().size(); i++) {
                long v = literal(code.literals().get(i), h);
                heap.store(m, 1 + MethodHeader.FIRST_LITERAL + i, v);
            }
            u.sourceInfo.put(m, new SourceInfo(code.file(), code.lines()));
            return m;
        }
    }

    /** Where each bytecode came from, for backtraces. */
    public record SourceInfo(String file, int[] lines) {}

    private long literal(Object v, Handle holder) {
        return switch (v) {
            case Long n -> u.integer(n);
            case BigInteger b -> u.integer(b);
            case Double d -> u.newDouble(d);
            case String str -> u.newString(str);
            case Ast.Sym sym -> u.symbol(sym.name());
            case Boolean b -> u.bool(b);
            case CompiledCode block -> install(block, holder.get(), 0, 0);
            case Ast.LitArray arr -> {
                try (var s = heap.scope()) {
                    Handle a = heap.handle(u.newArray(arr.elements().size()));
                    for (int i = 0; i < arr.elements().size(); i++) {
                        long e = literal(arr.elements().get(i), holder);
                        heap.store(a, i, e);
                    }
                    yield a.get();
                }
            }
            default -> {
                if (v == Parser.NIL) yield u.nil;
                throw new IllegalArgumentException("unknown literal " + v);
            }
        };
    }
}
