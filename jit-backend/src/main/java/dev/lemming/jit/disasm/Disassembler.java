package dev.lemming.jit.disasm;

import dev.lemming.interpreter.bytecode.Bytecodes;
import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.jit.X86Tier;
import dev.lemming.jit.compiler.MethodCompiler;
import dev.lemming.jit.runtime.JitState;
import dev.lemming.memory.object.Tags;

import java.util.Map;

import static dev.lemming.interpreter.bytecode.Bytecodes.*;

/**
 * A compiled method's machine code as Capstone reads it, annotated with what each part is: the
 * bytecode every stencil came from (with its selector, literal, global or local), the state
 * block's fields, literal slots, jump targets by bytecode index, and exits to the interpreter.
 */
public final class Disassembler {
    private static final Map<Long, String> STATE = Map.of(
            (long) JitState.NIL, "nil", (long) JitState.TRUE, "true", (long) JitState.FALSE, "false",
            (long) JitState.YOUNG_START, "young space start", (long) JitState.YOUNG_SIZE, "young space size",
            (long) JitState.INTERRUPT, "interrupt flag", (long) JitState.SP, "saved sp");

    private Disassembler() {}

    public static String listing(Interpreter in, X86Tier tier, X86Tier.CompiledMethod cm) {
        Universe u = in.universe();
        MethodMirror m = cm.mirror();
        MethodCompiler.Code code = cm.code();
        StringBuilder sb = new StringBuilder();
        sb.append("; ").append(in.describe(m)).append(": ").append(m.code.length).append(" bytes of bytecode, ")
                .append(code.bytes().length).append(" bytes of x86-64 at 0x").append(Long.toHexString(cm.address())).append('\n');
        var insns = Capstone.x86_64(code.bytes(), cm.address());
        int next = 0, lastIp = -1;
        boolean slow = false;
        for (int p = 0; p < code.pieces().size(); p++) {
            var piece = code.pieces().get(p);
            long start = cm.address() + code.offsets()[p], end = cm.address() + code.offsets()[p + 1];
            boolean inSlow = p >= code.mainPieces();
            if (inSlow && !slow) { slow = true; lastIp = -1; sb.append("\n; ---- slow paths: the other cases of fast paths, exits to the interpreter\n"); }
            if (piece.ip() != lastIp) {
                if (!inSlow) sb.append('\n');
                sb.append(String.format("; %4d  %s%n", piece.ip(), describe(u, m, piece.ip())));
                lastIp = piece.ip();
            }
            String note = note(u, tier, piece);
            while (next < insns.size() && insns.get(next).address() < end) {
                var i = insns.get(next++);
                String comment = comment(tier, code, cm.address(), i, note);
                String text = comment.isEmpty() ? i.toString() : String.format("%-40s  ; %s", i, comment);
                sb.append(String.format("  %x:  %s%n", i.address(), text));
                note = ""; // once per stencil
            }
        }
        return sb.toString();
    }

    /** What the stencil's holes were filled with, in words. */
    private static String note(Universe u, X86Tier tier, MethodCompiler.Piece piece) {
        StringBuilder sb = new StringBuilder();
        for (var e : piece.values().entrySet()) {
            String k = e.getKey();
            long v = e.getValue();
            if (!piece.stencil().hasHole(k)) continue;
            String text = switch (k) {
                case "offset", "nil", "true", "false", "young_start", "young_size", "interrupt" -> STATE.getOrDefault(v, k);
                case "slot" -> piece.stencil().name().startsWith("load_literal") ? "literal slot" : "slot " + (v >= 0 ? "fp+" : "fp") + v;
                case "self" -> "self at fp" + v;
                case "value" -> "SmallInteger " + Tags.smallIntegerValue(v);
                case "ip" -> "exit: the interpreter executes bytecode " + v;
                case "target" -> "to bytecode " + v;
                default -> k + "=" + v;
            };
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(text);
        }
        return sb.isEmpty() ? piece.stencil().name() : piece.stencil().name() + ": " + sb;
    }

    private static String comment(X86Tier tier, MethodCompiler.Code code, long base, Capstone.Instruction i, String note) {
        String extra = "";
        if (i.mnemonic().startsWith("j")) {
            try {
                long target = Long.decode(i.operands().trim());
                if (target == tier.exitRoutine()) extra = "-> exit routine";
                else for (int ip = 0; ip < code.entries().length; ip++) if (code.entries()[ip] == target) { extra = "-> bytecode " + ip; break; }
                for (int p = code.mainPieces(); extra.isEmpty() && p < code.pieces().size(); p++)
                    if (base + code.offsets()[p] == target) extra = "-> slow path of bytecode " + code.pieces().get(p).ip();
            } catch (NumberFormatException e) {
                // an indirect jump
            }
        }
        if (note.isEmpty()) return extra;
        return extra.isEmpty() ? note : note + " " + extra;
    }

    /** The bytecode at ip with its operands in Smalltalk terms. */
    public static String describe(Universe u, MethodMirror m, int ip) {
        byte[] c = m.tierCode();
        int op = c[ip];
        String name = Bytecodes.name(op);
        return switch (op) {
            case SEND, SUPER_SEND, SEND_ADD, SEND_SUB, SEND_MUL, SEND_LT, SEND_GT, SEND_LE, SEND_GE, SEND_EQ, SEND_IDENTICAL,
                 SEND_AND, SEND_OR, SEND_IF_TRUE_IF_FALSE, SEND_NE ->
                    name + " #" + u.stringValue(m.literal(u16(c, ip + 1))) + " (" + c[ip + 3] + " arg" + (c[ip + 3] == 1 ? ")" : "s)");
            case PUSH_LITERAL -> name + " " + literal(u, m.literal(u16(c, ip + 1)));
            case PUSH_GLOBAL -> name + " " + u.stringValue(m.literal(u16(c, ip + 1)));
            case PUSH_BLOCK -> name + " (makes a closure)";
            case PUSH_LOCAL, STORE_LOCAL, POP_LOCAL -> name + " " + (c[ip + 1] < m.numArgs ? "argument " : "temp ") + (c[ip + 1] & 0xFF);
            case PUSH_FIELD, STORE_FIELD, POP_FIELD -> name + " field " + (c[ip + 1] & 0xFF);
            case PUSH_ENV, STORE_ENV, POP_ENV -> name + " depth " + c[ip + 1] + " slot " + (c[ip + 2] - MethodHeader.ENV_FIRST_VAR);
            case PUSH_SMALL_INT -> name + " " + (short) u16(c, ip + 1);
            case JUMP, JUMP_IF_TRUE, JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL -> name + " to " + (ip + 3 + u16(c, ip + 1));
            case JUMP_BACK -> name + " to " + (ip + 3 - u16(c, ip + 1));
            case RETURN_NON_LOCAL -> name + " (home at env depth " + c[ip + 1] + ")";
            default -> name;
        };
    }

    private static String literal(Universe u, long v) {
        if (Tags.isSmallInteger(v)) return Long.toString(Tags.smallIntegerValue(v));
        if (u.isDouble(v)) return Double.toString(u.doubleValue(v));
        int ci = u.heap.classIndexOf(v);
        if (ci == ObjectModel.SYMBOL) return "#" + u.stringValue(v);
        if (ci == ObjectModel.STRING) return "'" + u.stringValue(v) + "'";
        return "a " + u.className(u.classOf(v));
    }
}
