package dev.lemming.jit.compiler;

import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.interpreter.exec.Frame;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.jit.runtime.JitState;
import dev.lemming.jit.stencil.Hole;
import dev.lemming.jit.stencil.Stencil;
import dev.lemming.jit.stencil.StencilSet;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.lemming.interpreter.bytecode.Bytecodes.*;

/**
 * Copy-and-patch: a method's bytecodes become a sequence of stencils whose holes are filled
 * with the frame offsets, literal addresses, state offsets and jump targets of this method.
 * Bytecodes that machine code does not do and the slow paths
 * of those it does become exits to the interpreter; the slow paths are placed after the method's
 * main code, so the fast path falls through.
 */
public final class MethodCompiler {
    /**
     * One stencil of the method, with the values of its holes; {@code size} is the stencil's, or
     * 5 bytes less when its final jmp to the next bytecode is left out (that code follows).
     */
    public record Piece(Stencil stencil, Map<String, Long> values, int ip, int size) {
        Piece(Stencil stencil, Map<String, Long> values, int ip) { this(stencil, values, ip, stencil.size()); }

        /** This piece without its final {@code jmp {target}} when that jumps to bytecode {@code next}, else itself. */
        Piece fallingThroughTo(int next) {
            Hole h = stencil.hole("target");
            int n = stencil.size();
            boolean finalJump = h != null && h.kind() == Hole.Kind.REL32 && h.offset() == n - 4 && (stencil.code()[n - 5] & 0xFF) == 0xE9;
            return finalJump && values.get("target") == next ? new Piece(stencil, values, ip, n - 5) : this;
        }
    }

    /**
     * The result: bytes laid out for {@code base}, the address of every bytecode's code, and the
     * direct entry that machine code's sends and block evaluations jump to (entries[0] unless the
     * method needs an environment, which a prologue before bytecode 0 then allocates).
     */
    public record Code(byte[] bytes, long[] entries, long directEntry, List<Piece> pieces, int[] offsets, int mainPieces) {}

    /** Gives each send site of a method its inline-cache cell (native memory the VM fills). */
    public interface SendCells {
        long cellFor(int ip);
        /** The cell of an inline block evaluation (value, value:, value:value:) at ip. */
        long blockCellFor(int ip);
        /** The address machine code calls for {@code target} (its direct entry), 0 when it has no machine code. */
        long directEntry(MethodMirror target);
    }

    private final StencilSet stencils;
    private final long exitRoutine;
    private final Interpreter interpreter;
    private SendCells cells;

    public MethodCompiler(StencilSet stencils, long exitRoutine, Interpreter interpreter) {
        this.stencils = stencils;
        this.exitRoutine = exitRoutine;
        this.interpreter = interpreter;
    }

    public Code compile(MethodMirror m, long base, SendCells cells) {
        try {
            return compileOrThrow(m, base, cells);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(interpreter.describe(m) + ": " + e.getMessage(), e); // a compiler bug: say where
        }
    }

    private Code compileOrThrow(MethodMirror m, long base, SendCells cells) {
        this.cells = cells;
        this.compiling = m;
        this.base = base;
        byte[] code = m.tierCode();
        List<Piece> main = new ArrayList<>();
        List<Piece> slow = new ArrayList<>();
        int[] startPiece = new int[code.length + 1], coldStart = new int[code.length + 1], entryStub = new int[code.length + 1];
        java.util.Arrays.fill(startPiece, -1);
        java.util.Arrays.fill(coldStart, -1);
        java.util.Arrays.fill(entryStub, -1);
        fused = new java.util.BitSet();
        java.util.BitSet jumpTargets = this.jumpTargets = jumpTargets(code);
        floatChains = FloatChains.of(code, jumpTargets);
        int cached = StackCache.NONE; // what rax and rcx hold where the main code falls through into the next bytecode
        boolean direct = m.envSlots == 0 || envPrologue(m, main);
        // every bytecode's stencils first: whether a push may be left out depends on the code of the bytecodes after it
        List<List<Piece>> emitted = new ArrayList<>(java.util.Collections.nCopies(code.length, (List<Piece>) null));
        int[] hotOf = new int[code.length];
        previous = -1;
        for (int ip = 0; ip < code.length; previous = ip, ip += length(code[ip])) {
            List<Piece> pieces = new ArrayList<>();
            coldFrom = -1;
            emit(m, code, ip, pieces);
            emitted.set(ip, pieces);
            hotOf[ip] = coldFrom < 0 ? pieces.size() : coldFrom;
        }
        for (int ip = 0; ip < code.length; ip += length(code[ip])) {
            int next = ip + length(code[ip]);
            List<Piece> pieces = emitted.get(ip);
            if (fused.get(ip)) {
                // a conditional jump fused with the comparison before it: its own code is only
                // for what enters here (the comparison's other cases, the interpreter)
                coldStart[ip] = slow.size();
                slow.addAll(pieces);
                slow.add(piece("jump", ip, "target", next)); // not taken
                addExits(ip, pieces, List.of(), slow);
                continue;
            }
            startPiece[ip] = main.size();
            // the other cases of a bytecode with a fast path (a special send's LargeIntegers and
            // floats, the generic send behind an inline primitive or a guarded answer) go after
            // the main code, and the fast path's final jump to the main code that follows (the
            // next bytecode's, or the one after a fused jump) is left out
            int hot = hotOf[ip];
            int following = fused.get(next) ? next + length(code[next]) : next;
            int in = jumpTargets.get(ip) ? StackCache.NONE : cached;
            // the slot this bytecode pushes left out (StackCache.PENDING) where the code after it takes it in a register
            boolean defer = StackCache.pushesLast(pieces.subList(0, hot), in) && takesPushed(code, next, emitted, hotOf, jumpTargets);
            int[] out = new int[1];
            List<Piece> fast = StackCache.apply(pieces.subList(0, hot), in, defer, out, (name, p) -> new Piece(stencils.get(name), p.values(), p.ip()));
            if (in != StackCache.NONE) {
                // every other way in loads what the fast path takes in registers
                entryStub[ip] = slow.size();
                slow.add(piece(StackCache.entryLoad(in), ip));
                slow.add(piece("resume", ip, "resume", startPiece[ip]));
            }
            if (fast.isEmpty()) cached = out[0]; // a pop of a push left out: no code (its entry is the next bytecode's)
            else {
                Piece last = fast.get(fast.size() - 1).fallingThroughTo(following);
                main.addAll(fast.subList(0, fast.size() - 1));
                main.add(last);
                boolean fallsThrough = !last.stencil().name().equals("jump") || last.size() < last.stencil().size();
                if (!fallsThrough && StackCache.pending(out[0])) throw new IllegalStateException("bytecode " + ip + " jumps away from a push left out");
                cached = fallsThrough ? out[0] : StackCache.NONE;
            }
            if (hot < pieces.size()) {
                List<Piece> cold = pieces.subList(hot, pieces.size());
                if (FLOAT_CASE.contains(cold.get(0).stencil().name())) {
                    // the float case, on the operands in registers, before they are pushed for the rest:
                    // back to the fast path's float_join, or (fused with a jump) branching after a
                    // pop2 that, as in the fast path, operands never pushed leave out
                    int end = 0;
                    while (!cold.get(end).stencil().name().equals("float_rejoin") && !cold.get(end).stencil().name().startsWith("float_branch_")) end++;
                    for (Piece p : cold.subList(0, end + 1)) {
                        String name = p.stencil().name();
                        if (name.equals("pop2") && in == StackCache.PENDING2) continue;
                        slow.add(name.equals("float_rejoin") ? piece(name, ip, "resume", main.size() - fast.size() + indexOf(fast, "float_join")) : p);
                    }
                    cold = cold.subList(end + 1, cold.size());
                }
                // the other cases read the operands from the stack
                if (StackCache.pending(in)) slow.add(piece(in == StackCache.PENDING2 ? "spill2" : "spill_rax", ip));
                slow.addAll(cold);
                if (next < code.length) slow.add(piece("jump", ip, "target", next)); // after a send's return
            }
            addExits(ip, fast, pieces.subList(hot, pieces.size()), slow);
        }
        List<Piece> all = new ArrayList<>(main);
        all.addAll(slow);
        // lay out
        int[] offsets = new int[all.size() + 1];
        for (int i = 0; i < all.size(); i++) offsets[i + 1] = offsets[i] + all.get(i).size();
        long[] entries = new long[code.length];
        for (int ip = 0; ip < code.length; ip++) {
            if (entryStub[ip] >= 0) entries[ip] = base + offsets[main.size() + entryStub[ip]];
            else if (startPiece[ip] >= 0) entries[ip] = base + offsets[startPiece[ip]];
            else if (coldStart[ip] >= 0) entries[ip] = base + offsets[main.size() + coldStart[ip]];
        }
        // a bytecode's exit and the pushes ahead of it (addExits adds them after the bytecode's
        // other cases, which may start with a spill_rax of their own: the last one is the exit's)
        Map<Integer, Long> bailOf = new HashMap<>(), raxBailOf = new HashMap<>(), rcxBailOf = new HashMap<>();
        for (int i = main.size(); i < all.size(); i++) {
            String name = all.get(i).stencil().name();
            if (name.equals("bail")) bailOf.put(all.get(i).ip(), base + offsets[i]);
            else if (name.equals("spill_rax")) raxBailOf.put(all.get(i).ip(), base + offsets[i]);
            else if (name.equals("spill_rcx")) rcxBailOf.put(all.get(i).ip(), base + offsets[i]);
        }
        // copy and patch
        byte[] out = new byte[offsets[all.size()]];
        for (int i = 0; i < all.size(); i++) {
            Piece p = all.get(i);
            System.arraycopy(p.stencil().code(), 0, out, offsets[i], p.size());
            for (Hole h : p.stencil().holes()) {
                if (h.offset() >= p.size()) continue; // the final jump left out
                int at = offsets[i] + h.offset();
                switch (h.kind()) {
                    case ABS32 -> putInt(out, at, Math.toIntExact(value(p, h)));
                    case ABS64 -> putLong(out, at, value(p, h));
                    case REL32 -> {
                        long target = switch (h.name()) {
                            case "exit" -> exitRoutine;
                            case "bail" -> bailOf.get(p.ip());
                            case "bail_rax" -> raxBailOf.get(p.ip());
                            case "bail_rcx" -> rcxBailOf.get(p.ip());
                            case "target", "branch" -> entries[Math.toIntExact(value(p, h))];
                            case "resume" -> base + offsets[Math.toIntExact(value(p, h))]; // a main piece (float_rejoin's: its float_join)
                            case "slow" -> laterPiece(all, offsets, i, base, "spill2", "spill_rax", "int_equal_other", "send");
                            case "overflow" -> laterPiece(all, offsets, i, base, "add_undo", "sub_undo");
                            case "wider" -> laterPiece(all, offsets, i, base, FLOAT_CASE.toArray(String[]::new)); // int_operands' next case, always
                            case "decoded" -> base + offsets[laterIndex(all, i, "float_try") + 1]; // past the float_try after a float_cached_*
                            case "other" -> laterPiece(all, offsets, i, base, "spill2", "symbol_equal", "string_equal", "int64_operands", "int_equal_other", "send");
                            default -> throw new IllegalStateException("stencil " + p.stencil().name() + ": unknown branch target " + h.name());
                        };
                        if (target == 0) throw new IllegalStateException("jump to a non-bytecode boundary in " + p.stencil().name());
                        putInt(out, at, Math.toIntExact(target - (base + at + 4)));
                    }
                }
            }
        }
        return new Code(out, entries, direct ? base : 0, all, offsets, main.size());
    }

    /** The bytecodes that jumps go to. */
    private static java.util.BitSet jumpTargets(byte[] code) {
        java.util.BitSet targets = new java.util.BitSet();
        for (int ip = 0; ip < code.length; ip += length(code[ip])) {
            int next = ip + length(code[ip]);
            switch (code[ip]) {
                case JUMP, JUMP_IF_TRUE, JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL -> targets.set(next + u16(code, ip + 1));
                case JUMP_BACK -> targets.set(next - u16(code, ip + 1));
                default -> { }
            }
        }
        return targets;
    }

    /** The direct entry's environment, as Interpreter.activate allocates it (machine code enters after the frame is built). */
    private boolean envPrologue(MethodMirror m, List<Piece> out) {
        if (m.envSlots >= dev.lemming.memory.object.Header.OVERFLOW_SLOTS) return false; // rare: no direct entry, the interpreter activates it
        out.add(piece("env_prologue", 0, "eden_top", JitState.EDEN_TOP, "eden_end", JitState.EDEN_END, "nil", JitState.NIL,
                "bytes", Layout.chunkBytesFor(m.envSlots), "slots", m.envSlots, "stack_base", JitState.STACK_BASE, "self", self(m),
                "header", dev.lemming.memory.object.Header.make(ObjectModel.ENVIRONMENT, dev.lemming.memory.object.Format.INDEXABLE_POINTERS, m.envSlots)));
        if (m.isBlock()) out.add(piece("env_parent_link", 0, "outer", field(ObjectModel.BLOCK_OUTER_ENV), "parent", field(MethodHeader.ENV_PARENT), "env", 8L * Frame.ENV));
        else out.add(piece("env_home", 0, "stack_base", JitState.STACK_BASE, "home", field(MethodHeader.ENV_HOME_FRAME), "env", 8L * Frame.ENV));
        return true;
    }

    /**
     * A fast path that can fail gets its bytecode's exit after the main code, behind a push of
     * rax or rcx for one that fails holding a slot that is not on the stack ({bail_rax}: a
     * condition a jump popped; {bail_rcx}: a value a push left out), and an overflowed + or - on
     * operands never pushed behind its undoing and their push.
     */
    private void addExits(int ip, List<Piece> fast, List<Piece> cold, List<Piece> slow) {
        List<Piece> pieces = new ArrayList<>(fast);
        pieces.addAll(cold);
        boolean rax = pieces.stream().anyMatch(p -> p.stencil().hasHole("bail_rax")),
                rcx = pieces.stream().anyMatch(p -> p.stencil().hasHole("bail_rcx"));
        if (rax && rcx) throw new IllegalStateException("bytecode " + ip + ": an exit cannot push both rax and rcx");
        if (rax) slow.add(piece("spill_rax", ip));
        if (rcx) slow.add(piece("spill_rcx", ip));
        if (rax || rcx || pieces.stream().anyMatch(p -> p.stencil().hasHole("bail"))) slow.add(piece("bail", ip, "ip", ip));
        for (Piece p : fast) {
            // an overflow of operands that were never pushed ({overflow}): undone, pushed, then the interpreter sends
            if (!p.stencil().hasHole("overflow")) continue;
            slow.add(piece(p.stencil().name().equals("int_add_pending") ? "add_undo" : "sub_undo", ip));
            slow.add(piece("spill2", ip));
            slow.add(piece("bail", ip, "ip", ip));
        }
    }

    /** Where the slow part of the bytecode being emitted starts in its pieces (-1: none). */
    private int coldFrom;
    /** Conditional jumps fused with the comparison before them (their code is among the slow paths). */
    private java.util.BitSet fused;
    /** The first stencil of a special send's SmallFloat64 case: float_try, or a kept operand's check ahead of it. */
    private static final List<String> FLOAT_CASE = List.of("float_cached_rax", "float_cached_rcx", "float_try");
    /** Where the method's float operations take an operand kept by the one before (float_remember). */
    private FloatChains floatChains;
    /** The bytecodes jumps go to, in the method being compiled. */
    private java.util.BitSet jumpTargets;
    /** The bytecode before the one being emitted (-1: none). */
    private int previous;

    /** The ucomisd condition (unsigned flags) for a SmallInteger comparison's signed one: no operand is NaN. */
    private static String floatCondition(String cc) {
        return switch (cc) { case "l" -> "b"; case "g" -> "a"; case "le" -> "be"; case "ge" -> "ae"; default -> cc; };
    }

    /**
     * The condition under which the conditional jump at {@code next} jumps, when the comparison
     * {@code op} before it can be fused with it; null when it cannot.
     */
    private static String branchCondition(int op, byte[] code, int next) {
        if (next >= code.length || (code[next] != JUMP_IF_TRUE && code[next] != JUMP_IF_FALSE)) return null;
        String cc = switch (op) {
            case SEND_LT -> "l"; case SEND_GT -> "g"; case SEND_LE -> "le"; case SEND_GE -> "ge";
            case SEND_EQ, SEND_IDENTICAL -> "e"; case SEND_NE -> "ne";
            default -> null;
        };
        if (cc == null || code[next] == JUMP_IF_TRUE) return cc;
        return switch (cc) { case "l" -> "ge"; case "ge" -> "l"; case "g" -> "le"; case "le" -> "g"; case "e" -> "ne"; default -> "e"; };
    }

    /** The index of the first piece of stencil {@code name} in {@code pieces}, -1 if none. */
    private static int indexOf(List<Piece> pieces, String name) {
        for (int i = 0; i < pieces.size(); i++) if (pieces.get(i).stencil().name().equals(name)) return i;
        return -1;
    }

    /**
     * A later stencil of the same bytecode (in the main code or among the slow paths): an inline
     * primitive's way out is its generic send (for = first int_equal_other); SmallInteger
     * arithmetic's is its SmallFloat64 path.
     */
    private static long laterPiece(List<Piece> all, int[] offsets, int i, long base, String... names) {
        return base + offsets[laterIndex(all, i, names)];
    }

    /** The first piece after all[i] of the same bytecode named one of names. */
    private static int laterIndex(List<Piece> all, int i, String... names) {
        for (int j = i + 1; j < all.size(); j++)
            if (all.get(j).ip() == all.get(i).ip() && List.of(names).contains(all.get(j).stencil().name())) return j;
        throw new IllegalStateException(all.get(i).stencil().name() + " jumps to a " + String.join(" or ", names) + " that does not follow it");
    }

    /** An 8-byte LargeInteger's header, and the header bits that say so (class, format, slot count; not age, marks or hash). */
    private static final long LARGE_HEADER = Header.make(ObjectModel.LARGE_INTEGER, Format.BYTES, 1),
            LARGE_MASK = Header.CLASS_INDEX_MASK | (Header.FORMAT_MASK << Header.FORMAT_SHIFT) | (0xFFL << Header.NUM_SLOTS_SHIFT);

    /** Inline-cache hits are counted only when --jit-stats will report them (this VM's setting): see send_count. */
    private final boolean countHits = Boolean.getBoolean(dev.lemming.interpreter.exec.JitSettings.STATS);

    private static long value(Piece p, Hole h) {
        Long v = p.values().get(h.name());
        if (v == null) throw new IllegalStateException("stencil " + p.stencil().name() + ": no value for hole " + h.name());
        return v;
    }

    /**
     * Bytecodes named in -Dlemming.jit.interpret=push_field,send_add,... are left to the
     * interpreter: a debugging switch to find which stencil a wrong result comes from.
     */
    private static final java.util.Set<String> INTERPRETED = java.util.Set.of(System.getProperty("lemming.jit.interpret", "").split(","));

    /** Emits the stencils of the bytecode at ip. */
    private void emit(MethodMirror m, byte[] code, int ip, List<Piece> out) {
        int op = code[ip];
        int next = ip + length(op);
        if (INTERPRETED.contains(name(op))) op = -1;
        switch (op) {
            // pushes go through rax (StackCache makes them go through rcx where rax holds the top);
            // the stencils that take operands in registers come after loads that StackCache may leave out
            case PUSH_LOCAL -> push(piece("load_local_rax", ip, "slot", local(m, code[ip + 1] & 0xFF)), out);
            case PUSH_SELF -> push(piece("load_self_rax", ip), out);
            case PUSH_FIELD -> push(piece("load_field_rax", ip, "field", field(code[ip + 1] & 0xFF)), out);
            case PUSH_NIL -> push(piece("load_state_rax", ip, "offset", JitState.NIL), out);
            case PUSH_TRUE -> push(piece("load_state_rax", ip, "offset", JitState.TRUE), out);
            case PUSH_FALSE -> push(piece("load_state_rax", ip, "offset", JitState.FALSE), out);
            case PUSH_SMALL_INT -> push(piece("load_imm_rax", ip, "value", Tags.smallInteger((short) u16(code, ip + 1))), out);
            case PUSH_LITERAL -> push(piece("load_literal_rax", ip, "slot", Layout.slotAddress(m.method, 1 + u16(code, ip + 1))), out);
            case PUSH_ENV -> { env(m, code[ip + 1] & 0xFF, ip, out); out.add(piece("push_env_slot", ip, "slot", field(code[ip + 2] & 0xFF))); }
            case POP -> out.add(piece("pop", ip));
            case DUP -> { out.add(piece("top_rax", ip)); out.add(piece("dup", ip)); }
            case STORE_LOCAL -> { out.add(piece("top_rax", ip)); out.add(piece("store_local", ip, "slot", local(m, code[ip + 1] & 0xFF))); }
            case POP_LOCAL -> { out.add(piece("top_rax", ip)); out.add(piece("pop_local", ip, "slot", local(m, code[ip + 1] & 0xFF))); }
            case STORE_FIELD, POP_FIELD -> {
                out.add(piece("top_rcx", ip));
                out.add(piece("self_to_rax", ip));
                out.add(store(ip, field(code[ip + 1] & 0xFF)));
                if (op == POP_FIELD) out.add(piece("pop", ip));
            }
            case STORE_ENV, POP_ENV -> {
                out.add(piece("top_rcx", ip));
                env(m, code[ip + 1] & 0xFF, ip, out);
                out.add(store(ip, field(code[ip + 2] & 0xFF)));
                if (op == POP_ENV) out.add(piece("pop", ip));
            }
            case JUMP -> out.add(piece("jump", ip, "target", next + u16(code, ip + 1)));
            case JUMP_BACK -> out.add(piece("jump_back", ip, "target", next - u16(code, ip + 1), "interrupt", JitState.INTERRUPT));
            case JUMP_IF_TRUE, JUMP_IF_FALSE -> {
                out.add(piece("top_rax", ip));
                out.add(piece("pop", ip));
                out.add(piece(op == JUMP_IF_TRUE ? "jump_if_true" : "jump_if_false", ip, "target", next + u16(code, ip + 1),
                        "true", JitState.TRUE, "false", JitState.FALSE));
            }
            case JUMP_IF_NIL, JUMP_IF_NOT_NIL -> {
                out.add(piece("top_rax", ip));
                out.add(piece("pop", ip));
                out.add(piece(op == JUMP_IF_NIL ? "jump_if_nil" : "jump_if_not_nil", ip, "target", next + u16(code, ip + 1), "nil", JitState.NIL));
            }
            case SEND_ADD, SEND_SUB, SEND_MUL, SEND_LT, SEND_GT, SEND_LE, SEND_GE, SEND_EQ, SEND_NE -> {
                // SmallIntegers first; then SmallFloat64s; then (for =) Symbols and Strings; then (comparisons) 64-bit integers; then the send
                out.add(piece("top2", ip));
                out.add(piece("int_operands", ip));
                String cc = branchCondition(op, code, next);
                if (cc != null) {
                    // the jump after this comparison consumes its Boolean: compare and branch
                    fused.set(next);
                    out.add(piece("pop2", ip));
                    out.add(piece("int_branch_" + cc, ip, "branch", next + 3 + u16(code, next + 1), "target", next + 3));
                    coldFrom = out.size();
                }
                String s = switch (op) {
                    case SEND_ADD -> FaultInjection.dropOverflowCheck ? "int_add_unchecked" : "int_add"; case SEND_SUB -> "int_sub"; case SEND_MUL -> "int_mul";
                    case SEND_LT -> "int_compare_l"; case SEND_GT -> "int_compare_g"; case SEND_LE -> "int_compare_le";
                    case SEND_GE -> "int_compare_ge"; case SEND_NE -> "int_compare_ne"; default -> "int_compare_e";
                };
                boolean arithmetic = op == SEND_ADD || op == SEND_SUB || op == SEND_MUL;
                if (cc == null) {
                    out.add(piece(s, ip, "true", JitState.TRUE, "false", JitState.FALSE));
                    out.add(piece("float_join", ip));
                    out.add(piece("pop_store_rax", ip));
                    out.add(piece("jump", ip, "target", next));
                    coldFrom = out.size();
                }
                // SmallFloat64s first among the other cases, on the operands in registers, the
                // stack untouched: a result goes back to the fast path at float_join, whose code
                // after it pops the operands (or leaves them out) as it does for SmallIntegers; a
                // comparison fused with its jump branches itself. Anything else pushes them (spill2
                // where they were never pushed: emitMethod puts it after these) for the rest.
                if (floatChains.cachedReceiver.get(ip)) out.add(piece("float_cached_rax", ip));
                else if (floatChains.cachedArgument.get(ip)) out.add(piece("float_cached_rcx", ip));
                out.add(piece("float_try", ip));
                if (arithmetic) {
                    out.add(piece(op == SEND_ADD ? "float_add" : op == SEND_SUB ? "float_sub" : "float_mul", ip));
                    out.add(piece("float_encode_try", ip));
                    if (floatChains.remember.get(ip)) out.add(piece("float_remember", ip));
                    out.add(piece("float_rejoin", ip));
                } else if (cc != null) {
                    out.add(piece("pop2", ip));
                    out.add(piece("float_branch_" + floatCondition(cc), ip, "branch", next + 3 + u16(code, next + 1), "target", next + 3));
                } else {
                    out.add(piece("float_compare_rax_" + floatCondition(s.substring("int_compare_".length())), ip, "true", JitState.TRUE, "false", JitState.FALSE));
                    out.add(piece("float_rejoin", ip));
                }
                if (op == SEND_EQ && isPrimitive(ObjectModel.STRING, "=")) {
                    // among the other cases, so that = of SmallIntegers takes its operands in registers
                    // (StackCache) as the other comparisons do: these two read them from the stack
                    if (inheritsPrimitive(ObjectModel.SYMBOL, ObjectModel.STRING, "="))
                        out.add(piece("symbol_equal", ip, "symbol_class", ObjectModel.SYMBOL, "true", JitState.TRUE, "false", JitState.FALSE, "target", next));
                    out.add(piece("string_equal", ip, "string_class", ObjectModel.STRING, "true", JitState.TRUE, "false", JitState.FALSE, "target", next));
                }
                if (!arithmetic) {
                    // comparisons then take integers up to 64 bits (8-byte LargeIntegers, as int64At: makes them)
                    out.add(piece("int64_operands", ip, "mask", LARGE_MASK, "header", LARGE_HEADER));
                    out.add(piece(s, ip, "true", JitState.TRUE, "false", JitState.FALSE));
                    out.add(piece("pop_store_rax", ip));
                    out.add(piece("jump", ip, "target", next));
                }
                // anything else (objects' =, LargeIntegers, boxed Doubles) is an ordinary send
                if (op == SEND_EQ && isPrimitive(dev.lemming.memory.object.ClassIndex.SMALL_INTEGER, "="))
                    out.add(piece("int_equal_other", ip, "large_class", ObjectModel.LARGE_INTEGER, "double_class", ObjectModel.BOXED_DOUBLE,
                            "false", JitState.FALSE, "target", next));
                send(code, ip, next, out);
            }
            case SEND_AND, SEND_OR, SEND_IF_TRUE_IF_FALSE -> {
                // the answer's offset from the receiver's slot when it is true / false (0: the receiver)
                long ifTrue = op == SEND_OR ? 0 : 8, ifFalse = op == SEND_AND ? 0 : op == SEND_OR ? 8 : 16;
                out.add(piece("boolean_send", ip, "receiver", -8L * code[ip + 3], "if_true", ifTrue, "if_false", ifFalse,
                        "true", JitState.TRUE, "false", JitState.FALSE, "nil", JitState.NIL, "target", next));
                coldFrom = out.size();
                send(code, ip, next, out);
            }
            case SEND_IDENTICAL -> {
                String cc = branchCondition(op, code, next);
                out.add(piece("top2", ip));
                if (cc == null) out.add(piece("identical", ip, "true", JitState.TRUE, "false", JitState.FALSE));
                else {
                    fused.set(next);
                    out.add(piece("identical_branch_" + cc, ip, "branch", next + 3 + u16(code, next + 1), "target", next + 3));
                }
            }
            case SEND, SUPER_SEND -> {
                // a super send's cache is keyed by the receiver's class too; the interpreter links
                // every entry to the one target the holder's superclass has
                if (op == SEND) {
                    int before = out.size();
                    inlinePrimitive(m, code, ip, next, out);
                    if (out.size() == before) inlineTrivial(m, code, ip, next, out);
                    if (out.size() == before) directSend(m, code, ip, next, out);
                    if (out.size() > before) coldFrom = out.size();
                }
                send(code, ip, next, out);
            }
            case PUSH_BLOCK -> {
                int literal = 1 + u16(code, ip + 1);
                int cls = ObjectModel.blockClassFor(interpreter.mirrorOf(Layout.fetch(m.method, literal)).numArgs);
                out.add(piece("push_block", ip, "header", dev.lemming.memory.object.Header.make(cls, dev.lemming.memory.object.Format.FIXED_POINTERS, ObjectModel.BLOCK_SLOTS),
                        "method", Layout.slotAddress(m.method, literal), "env", 8L * Frame.ENV,
                        "bytes", Layout.chunkBytesFor(ObjectModel.BLOCK_SLOTS), "method_field", field(ObjectModel.BLOCK_METHOD),
                        "receiver_field", field(ObjectModel.BLOCK_RECEIVER), "outer_field", field(ObjectModel.BLOCK_OUTER_ENV),
                        "eden_top", JitState.EDEN_TOP, "eden_end", JitState.EDEN_END));
            }
            case PUSH_GLOBAL -> {
                int slot = interpreter.universe().globalSlot(m.literal(u16(code, ip + 1)));
                if (slot < 0) out.add(piece("bail", ip, "ip", ip)); // not defined yet: the interpreter loads it or sends unknownGlobal:
                else out.add(piece("push_global", ip, "globals", JitState.GLOBALS, "slot", field(2 * slot + 1)));
            }
            case RETURN_LOCAL, RETURN_SELF -> {
                out.add(op == RETURN_LOCAL ? piece("top_rax", ip) : piece("return_self", ip));
                // a method whose blocks may return to it closes its environment first
                if (m.envSlots > 0 && !m.isBlock())
                    out.add(piece("close_env", ip, "env", 8L * Frame.ENV, "nil", JitState.NIL, "home", field(MethodHeader.ENV_HOME_FRAME)));
                out.add(piece("return", ip, "self", self(m), "stack_base", JitState.STACK_BASE, "entry_rsp", JitState.ENTRY_RSP,
                        "mirror_count", JitState.MIRROR_COUNT, "mirror_table", JitState.MIRROR_TABLE));
            }
            default -> out.add(piece("bail", ip, "ip", ip)); // the interpreter executes it
        }
    }

    private void push(Piece load, List<Piece> out) {
        out.add(load);
        out.add(piece("push_rax", load.ip()));
    }

    /**
     * Does the code from bytecode {@code ip} on take the slot the bytecode before it pushes in a
     * register, so that push can be left out: the bytecode at ip in state PENDING, or a push
     * there (left out too) and the bytecode after it in state PENDING2 (StackCache.takes)? Never
     * where other code jumps in, nor into a comparison fused with its jump.
     */
    private boolean takesPushed(byte[] code, int ip, List<List<Piece>> emitted, int[] hotOf, java.util.BitSet jumpTargets) {
        if (ip >= code.length || jumpTargets.get(ip) || fused.get(ip)) return false;
        List<Piece> hot = emitted.get(ip).subList(0, hotOf[ip]);
        if (!StackCache.isPush(hot)) return StackCache.takes(hot, StackCache.PENDING);
        int after = ip + length(code[ip]); // a push: both left out when the bytecode after it takes two
        return after < code.length && !jumpTargets.get(after) && !fused.get(after)
                && StackCache.takes(emitted.get(after).subList(0, hotOf[after]), StackCache.PENDING2);
    }

    /** The generic send of the bytecode at ip (K N operands): its inline cache, then the hit's frameless answer or frame. */
    private void send(byte[] code, int ip, int next, List<Piece> out) {
        out.add(piece("send", ip, "receiver", -8L * code[ip + 3], "cell", cells.cellFor(ip)));
        if (countHits) out.add(piece("send_count", ip));
        out.add(piece("send_hit", ip, "receiver", -8L * code[ip + 3], "self", self(compiling),
            "stack_limit", JitState.STACK_LIMIT, "stack_base", JitState.STACK_BASE,
            "native_limit", JitState.NATIVE_LIMIT, "return_ip", Tags.smallInteger(next), "nil", JitState.NIL,
            "young_start", JitState.YOUNG_START, "young_size", JitState.YOUNG_SIZE,
            "eden_top", JitState.EDEN_TOP, "eden_end", JitState.EDEN_END));
    }

    /**
     * Is the value a send at {@code ip} stores always nil, true, false or a SmallInteger: pushed by
     * the bytecode just before, which only falls through to it (no jump arrives at ip)? Those are
     * never young, so the store needs no write barrier.
     */
    private boolean storesImmediate(byte[] code, int ip) {
        if (jumpTargets.get(ip) || previous < 0) return false;
        return switch (code[previous]) { case PUSH_NIL, PUSH_TRUE, PUSH_FALSE, PUSH_SMALL_INT -> true; default -> false; };
    }

    /**
     * Array at: and at:put:, block evaluation, SmallInteger & | bitXor: % rem: / >>> <<, Double // and sqrt,
     * String length and primSubstringFrom:to:, ExternalAddress int8At: ... int64At:put:, in machine
     * code ahead of the generic send they fall back to, while the receivers' methods for them are
     * the VM's primitives (checked when the method is compiled).
     */
    private void inlinePrimitive(MethodMirror m, byte[] code, int ip, int next, List<Piece> out) {
        int nargs = code[ip + 3];
        String selector = interpreter.universe().stringValue(m.literal(u16(code, ip + 1)));
        int blockClass = switch (selector) {
            case "value" -> ObjectModel.BLOCK1; case "value:" -> ObjectModel.BLOCK2;
            case "value:value:", "value:with:" -> ObjectModel.BLOCK3; // SOM-st/SOM's Block3 names its primitive value:with:
            default -> -1;
        };
        if (blockClass >= 0 && isPrimitive(blockClass, selector)) {
            receiverLoad(nargs, ip, out);
            out.add(piece("block_value", ip, "receiver", -8L * nargs, "block_class", blockClass, "cell", cells.blockCellFor(ip),
                    "stack_limit", JitState.STACK_LIMIT, "stack_base", JitState.STACK_BASE,
                    "native_limit", JitState.NATIVE_LIMIT, "return_ip", Tags.smallInteger(next), "nil", JitState.NIL, "self", self(m)));
            return;
        }
        String intOp = nargs != 1 ? null : switch (selector) {
            case "&" -> "int_and"; case "|" -> "int_or"; case "bitXor:" -> "int_xor"; case "%" -> "int_mod";
            case "rem:" -> "int_rem"; case "/" -> "int_div"; case ">>>" -> "int_shift_right"; case "<<" -> "int_shift_left";
            default -> null;
        };
        if (intOp != null) {
            if (isPrimitive(dev.lemming.memory.object.ClassIndex.SMALL_INTEGER, selector)) {
                out.add(piece("top2", ip));
                out.add(piece("small_int_operands", ip));
                out.add(piece(intOp, ip, "target", next));
            }
            return;
        }
        String[] floatOp = nargs == 1 && selector.equals("//") ? new String[] {"top2", "float_try", "float_div", "float_encode_try", "pop_store_rax"}
                : nargs == 0 && selector.equals("sqrt") ? new String[] {"float_receiver", "float_sqrt", "float_encode_try", "store_rax"}
                : nargs == 0 && selector.equals("asInteger") ? new String[] {"float_receiver", "float_as_integer", "store_rax"} : null;
        if (floatOp != null) {
            // SmallFloat64 operands only; anything else takes the generic send, which also boxes a
            // result that is no SmallFloat64 (asInteger's beyond SmallInteger exits)
            // float_try also takes a SmallInteger receiver with a SmallFloat64 argument: Integer's // too
            if (isPrimitive(dev.lemming.memory.object.ClassIndex.SMALL_FLOAT, selector)
                    && (nargs == 0 || isPrimitive(dev.lemming.memory.object.ClassIndex.SMALL_INTEGER, selector))) {
                for (String s : floatOp) out.add(piece(s, ip));
                out.add(piece("jump", ip, "target", next));
            }
            return;
        }
        if (nargs == 1 && selector.equals("new:")) {
            int meta = interpreter.heap.classIndexOf(interpreter.heap.classAt(ObjectModel.ARRAY));
            if (isPrimitive(meta, "new:")) out.add(piece("array_new", ip, "meta_class", meta, "target", next,
                    "eden_top", JitState.EDEN_TOP, "eden_end", JitState.EDEN_END, "nil", JitState.NIL,
                    "header", dev.lemming.memory.object.Header.make(ObjectModel.ARRAY, dev.lemming.memory.object.Format.INDEXABLE_POINTERS, 0)));
            return;
        }
        if (nargs == 0 && selector.equals("length")) {
            boolean array = isPrimitive(ObjectModel.ARRAY, "length"), string = isPrimitive(ObjectModel.STRING, "length");
            if (!array && !string) return;
            out.add(piece("top_rax", ip));
            out.add(piece("length", ip, "array_class", array ? ObjectModel.ARRAY : -1, "string_class", string ? ObjectModel.STRING : -1));
            out.add(piece("store_rax", ip));
            return;
        }
        if (nargs == 2 && selector.equals("primSubstringFrom:to:")) {
            if (isPrimitive(ObjectModel.STRING, selector)) out.add(piece("string_substring", ip, "string_class", ObjectModel.STRING,
                    "eden_top", JitState.EDEN_TOP, "eden_end", JitState.EDEN_END, "target", next));
            return;
        }
        if (rawAccess(selector, nargs, ip, next, out)) return;
        boolean at = nargs == 1 && selector.equals("at:"), atPut = nargs == 2 && selector.equals("at:put:");
        if (!(at || atPut) || !isPrimitive(ObjectModel.ARRAY, selector)) return;
        out.add(at ? piece("top2", ip) : piece("array_put_operands", ip));
        out.add(piece("array_index", ip, "array_class", ObjectModel.ARRAY));
        if (at) { out.add(piece("array_at", ip)); out.add(piece("pop_store_rax", ip)); }
        else if (storesImmediate(code, ip)) out.add(piece("array_at_put_immediate", ip, "target", next));
        else out.add(piece("array_at_put", ip, "target", next, "young_start", JitState.YOUNG_START, "young_size", JitState.YOUNG_SIZE));
    }

    /**
     * A send whose target the interpreter found to be trivial (an accessor, a setter, a method
     * answering self, nil, true, false or a small SmallInteger), for the one receiver class its inline cache holds
     * when this method is compiled: that answer, behind a check of the receiver's class, ahead of
     * the generic send (which every other receiver takes). Methods are never changed in place, so
     * what a class's lookup found stays true, as the send cells also assume.
     */
    private void inlineTrivial(MethodMirror m, byte[] code, int ip, int next, List<Piece> out) {
        int cls = m.cachedClass(ip), nargs = code[ip + 3];
        MethodMirror target = m.cachedTarget(ip);
        if (cls < 0 || target == null) return;
        Piece answer = switch (target.trivial) {
            case MethodMirror.SELF -> piece("trivial_self", ip, "receiver", -8L * nargs, "target", next);
            case MethodMirror.SETTER -> nargs != 1 ? null : piece("trivial_setter", ip, "field", field(target.trivialOperand), "target", next,
                    "young_start", JitState.YOUNG_START, "young_size", JitState.YOUNG_SIZE);
            // accessors and constants that ignore arguments are rare: the send cell does them
            case MethodMirror.GETTER -> nargs != 0 ? null : piece("trivial_getter", ip, "field", field(target.trivialOperand));
            case MethodMirror.CONSTANT -> nargs != 0 ? null : switch (target.code[0]) {
                case PUSH_NIL -> piece("trivial_state", ip, "offset", JitState.NIL);
                case PUSH_TRUE -> piece("trivial_state", ip, "offset", JitState.TRUE);
                case PUSH_FALSE -> piece("trivial_state", ip, "offset", JitState.FALSE);
                case PUSH_SMALL_INT -> piece("trivial_imm", ip, "value", Tags.smallInteger((short) u16(target.code, 1)));
                default -> null; // a literal object may move: the send cell answers it
            };
            default -> null;
        };
        if (answer == null) return;
        receiverLoad(nargs, ip, out);
        out.add(piece("class_guard", ip, "class", cls));
        out.add(answer);
        // the answer replaces the receiver (trivial_self and trivial_setter leave it where it is)
        if (nargs == 0 && target.trivial != MethodMirror.SELF) out.add(piece("store_rax", ip));
    }

    /** rax = the receiver of a send of {@code nargs} arguments, and rcx = the argument of one: loads StackCache may leave out. */
    private void receiverLoad(int nargs, int ip, List<Piece> out) {
        out.add(nargs == 0 ? piece("top_rax", ip) : nargs == 1 ? piece("top2", ip) : piece("receiver_rax", ip, "receiver", -8L * nargs));
    }

    /** The method being compiled and where its code will be (its direct entry: the prologue of a method with an environment). */
    private MethodMirror compiling;
    private long base;

    /**
     * Can a send call this target's machine code directly (send_direct): a method in Smalltalk,
     * not trivial (the class guard answers those inline), with a direct entry (a method with an
     * environment is entered at its prologue; past OVERFLOW_SLOTS it has none)?
     */
    public static boolean callableDirectly(MethodMirror target) {
        return !target.isPrimitiveMethod && !target.isBlock() && target.trivial == MethodMirror.NOT_TRIVIAL
                && target.envSlots < Header.OVERFLOW_SLOTS;
    }

    /**
     * A send whose one receiver class the interpreter's inline cache held when this method is
     * compiled, to a method with machine code by then (or this very method: a recursion): its
     * frame built from constants and its direct entry called
     * (send_direct), ahead of the generic send, which every other receiver takes.
     */
    private void directSend(MethodMirror m, byte[] code, int ip, int next, List<Piece> out) {
        int cls = m.cachedClass(ip), nargs = code[ip + 3];
        MethodMirror target = m.cachedTarget(ip);
        if (cls < 0 || target == null || !callableDirectly(target) || target.numArgs != nargs) return;
        long entry = target == compiling ? base : cells.directEntry(target);
        if (entry == 0) return;
        receiverLoad(nargs, ip, out);
        out.add(piece("class_guard", ip, "class", cls));
        out.add(piece("send_direct", ip,
                "native_limit", JitState.NATIVE_LIMIT, "frame_bytes", target.frameBytes(), "stack_limit", JitState.STACK_LIMIT,
                "method", target.method, "stack_base", JitState.STACK_BASE, "return_ip", Tags.smallInteger(next),
                "nil", JitState.NIL, "mirror", Tags.smallInteger(target.id)));
        for (int i = 0; i < target.numTemps; i++) out.add(piece("temp_nil", ip));
        out.add(piece("call_direct", ip, "code", entry, "callee_self", self(target), "self", self(m)));
    }

    /**
     * The integer accessors of native memory (ExternalAddress int64At:, uint8At:put: ...: classes
     * whose address and size are SmallInteger fields, RawAccess.fieldRegions) while they are the
     * VM's primitives: the FFI's callbacks read their pointer arguments this way.
     */
    private boolean rawAccess(String selector, int nargs, int ip, int next, List<Piece> out) {
        boolean put = nargs == 2 && selector.endsWith("At:put:");
        if (!(put || nargs == 1 && selector.endsWith("At:"))) return false;
        String kind = selector.substring(0, selector.indexOf("At:"));
        int width = switch (kind) {
            case "int8", "uint8", "byte" -> 1; case "int16", "uint16" -> 2; case "int32", "uint32" -> 4; case "int64" -> 8;
            default -> 0;
        };
        if (width == 0) return false;
        if (kind.equals("byte")) kind = "uint8";
        var u = interpreter.universe();
        for (var region : dev.lemming.interpreter.primitives.RawAccess.fieldRegions().entrySet()) {
            long cls = u.global(u.symbol(region.getKey()));
            if (cls == 0 || !dev.lemming.memory.object.Tags.isPointer(cls) || cls == u.nil) continue; // not loaded
            int index = u.instanceIndex(cls);
            if (interpreter.heap.classAt(index) != cls || !isPrimitive(index, selector)) continue;
            out.add(piece("raw_address", ip, "receiver", -8L * nargs, "offset", -8L * (nargs - 1), "class", index,
                    "base", field(region.getValue().base()), "size", field(region.getValue().size()), "width", width, "nil", JitState.NIL));
            if (put) {
                out.add(piece("raw_value", ip));
                out.add(piece("raw_store_" + kind, ip));
                out.add(piece("raw_stored", ip, "target", next));
            } else {
                if (kind.equals("int64")) out.add(piece("raw_load_int64", ip, "eden_top", JitState.EDEN_TOP, "eden_end", JitState.EDEN_END,
                        "bytes", Layout.chunkBytesFor(1), "header", LARGE_HEADER, "target", next));
                else out.add(piece("raw_load_" + kind, ip));
                out.add(piece("raw_loaded", ip, "target", next));
            }
            return true;
        }
        return true; // no such class loaded when this method was compiled: the generic send, for good
    }

    /** Is the method instances of class {@code classIndex} find for {@code selector} the VM's primitive, defined in that very class? */
    private boolean isPrimitive(int classIndex, String selector) {
        MethodMirror target = interpreter.lookup(classIndex, interpreter.universe().symbol(selector));
        return target != null && target.isPrimitiveMethod && target.primitive != null
                && target.literal(MethodHeader.HOLDER) == interpreter.heap.classAt(classIndex);
    }

    /** Do instances of {@code classIndex} find for {@code selector} the very primitive that {@code from}'s instances find? */
    private boolean inheritsPrimitive(int classIndex, int from, String selector) {
        long sym = interpreter.universe().symbol(selector);
        MethodMirror here = interpreter.lookup(classIndex, sym), there = interpreter.lookup(from, sym);
        return here != null && there != null && here.isPrimitiveMethod && here.primitive != null && here.primitive == there.primitive;
    }

    private Piece store(int ip, long slotOffset) {
        return piece("store_slot_bail", ip, "slot", slotOffset, "young_start", JitState.YOUNG_START, "young_size", JitState.YOUNG_SIZE);
    }

    private void env(MethodMirror m, int depth, int ip, List<Piece> out) {
        out.add(piece("env", ip, "env", 8L * Frame.ENV));
        for (int i = 0; i < depth; i++) out.add(piece("env_parent", ip, "parent", field(MethodHeader.ENV_PARENT)));
    }

    private Piece piece(String stencil, int ip, Object... holeValues) {
        Map<String, Long> values = new HashMap<>();
        for (int i = 0; i < holeValues.length; i += 2) values.put((String) holeValues[i], ((Number) holeValues[i + 1]).longValue());
        return new Piece(stencils.get(stencil), values, ip);
    }

    /** The displacement of local {@code i} (an argument or a temp) from fp, as in Interpreter.localAddress. */
    private static long local(MethodMirror m, int i) {
        int n = m.numArgs;
        return i < n ? -8L * (n - i) : 8L * (Frame.HEADER - n + i);
    }

    /** The receiver's displacement from fp (r14 holds the receiver itself while the frame's code runs). */
    public static long self(MethodMirror m) { return -8L * (m.numArgs + 1); }

    private static long field(int index) { return Layout.WORD + 8L * index; }

    private static void putInt(byte[] b, int at, int v) { for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i)); }
    private static void putLong(byte[] b, int at, long v) { for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i)); }
}
