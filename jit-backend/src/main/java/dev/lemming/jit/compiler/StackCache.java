package dev.lemming.jit.compiler;

import dev.lemming.jit.compiler.MethodCompiler.Piece;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Which of the top stack slots rax and rcx hold while a method's main code runs straight on from
 * one bytecode into the next, and which pushes are left out.
 *
 * <p>Registers: the stencils that take operands in registers are preceded by load stencils
 * (top_rax, top_rcx, top2), which are left out, or become a register move, when the bytecode
 * before left those slots in registers (RAX, RAX_RCX; the slots are on the stack as well). A load
 * of a slot just stored waits several cycles for the store.
 *
 * <p>Pushes left out: where the next bytecode takes a pushed slot in a register (a pop, a store,
 * a return, a conditional jump, a 0-argument guarded answer: PENDING) or a second push and the
 * bytecode after it take two (a comparison, + or -, Array at:: PENDING2), the push is not done.
 * {@link #takes} decides it by running that code through the very rewrite that {@link #apply}
 * will make ({@link #popPending}), which refuses every stencil that needs the slot on the stack
 * or does not consume it. Every way out of such code that reads the stack pushes the slots first:
 * spill_rax or spill2 ahead of its other cases, spill_rcx for pop_field's write barrier, spill_rax
 * for a condition that is no Boolean, add_undo and sub_undo ahead of spill2 after an overflow.
 * A result may be left out in its turn: the slots it replaces are popped instead.
 *
 * <p>Only the fall-through from the previous bytecode's fast path carries a state. Every other
 * way in (jumps, the interpreter, a slow path's way back, a return) comes through the
 * bytecode's entry, which first loads from the stack what the state keeps in registers
 * ({@link #entryLoad}, placed among the slow paths by MethodCompiler). A jump target starts
 * in NONE, so no slot is left out across a jump.
 */
final class StackCache {
    private StackCache() {}

    /**
     * Nothing known; rax = the top; rax = the slot below the top and rcx = the top; rax = a slot
     * not pushed (the stack in memory lacks its top, which the bytecode's code pops); rax and
     * rcx = two slots not pushed (a comparison fused with its jump takes them).
     */
    static final int NONE = 0, RAX = 1, RAX_RCX = 2, PENDING = 3, PENDING2 = 4;

    /** The loads an entry performs to start a bytecode's code in {@code state}. */
    static String entryLoad(int state) {
        return switch (state) { case RAX -> "top_rax"; case RAX_RCX -> "top2"; case PENDING -> "pending"; case PENDING2 -> "pending2"; default -> throw new IllegalArgumentException(); };
    }

    /**
     * The fast path's pieces for a bytecode entered in {@code state}: loads left out or turned into
     * moves, pushes through rcx where rax holds the top, the push left out when {@code defer};
     * answers the state after them in {@code after[0]}. {@code named} makes the stencil of that
     * name with a piece's hole values.
     */
    static List<Piece> apply(List<Piece> pieces, int state, boolean defer, int[] after, BiFunction<String, Piece, Piece> named) {
        if (pending(state)) {
            after[0] = NONE;
            List<Piece> out = popPending(pieces, state, defer, after, named);
            if (out == null) throw new IllegalStateException("bytecode " + pieces.get(0).ip() + " (" + pieces.get(0).stencil().name() + "...) cannot take a push left out");
            return out;
        }
        List<Piece> out = new ArrayList<>();
        int k = state;
        boolean toRcx = false; // the load before a push_rax went to rcx
        for (Piece p : pieces) {
            String name = p.stencil().name();
            if (name.startsWith("load_") && name.endsWith("_rax")) {
                if (k == NONE || defer) { out.add(p); continue; }
                if (k == RAX_RCX) out.add(named.apply("rcx_to_rax", p)); // the top moves to rax: it is below the pushed slot now
                out.add(named.apply(name.substring(0, name.length() - 4) + "_rcx", p));
                toRcx = true;
                continue;
            }
            switch (name) {
                case "store_rax", "pop_store_rax" -> {
                    // the result left out: the slots it replaces popped
                    if (defer) { out.add(named.apply(name.equals("store_rax") ? "pop" : "pop2", p)); k = PENDING; }
                    else { out.add(p); k = RAX; }
                }
                case "push_rax" -> {
                    if (defer) k = PENDING;
                    else if (toRcx) { out.add(named.apply("push_rcx", p)); k = RAX_RCX; }
                    else { out.add(p); k = RAX; }
                    toRcx = false;
                }
                case "top_rax" -> {
                    if (k == NONE) out.add(p);
                    else if (k == RAX_RCX) out.add(named.apply("rcx_to_rax", p));
                    k = RAX;
                }
                case "top_rcx" -> {
                    // rcx = the top; what rax held stays true
                    if (k == NONE) out.add(p);
                    else if (k == RAX) out.add(named.apply("rax_to_rcx", p));
                }
                case "top2" -> {
                    if (k == NONE) out.add(p);
                    else if (k == RAX) out.add(named.apply("top2_from_rax", p));
                    k = RAX_RCX;
                }
                case "array_put_operands" -> {
                    // the receiver (the third slot from the top) always from the stack
                    out.add(k == NONE ? p : named.apply(k == RAX ? "array_put_operands_from_rax" : "array_put_operands_from_rax_rcx", p));
                    k = NONE;
                }
                default -> {
                    out.add(p);
                    k = after(name, k);
                }
            }
        }
        after[0] = k;
        return out;
    }

    /** Is a slot not pushed in {@code state} (the stack in memory lacks it)? */
    static boolean pending(int state) { return state == PENDING || state == PENDING2; }

    /** Can a bytecode whose fast path is {@code hot} start in {@code state} (PENDING, PENDING2)? */
    static boolean takes(List<Piece> hot, int state) {
        return popPending(hot, state, false, new int[1], (name, p) -> p) != null;
    }

    /** Is {@code hot} a push bytecode's (a load into rax, then push_rax)? */
    static boolean isPush(List<Piece> hot) {
        return hot.size() == 2 && hot.get(1).stencil().name().equals("push_rax");
    }

    /**
     * Does the fast path {@code hot}, entered in {@code state}, end by pushing one slot that could
     * be left out instead: a push bytecode's (unless it is the second of two left out), or a
     * result stored over the slots it came from?
     */
    static boolean pushesLast(List<Piece> hot, int state) {
        int last = hot.size() - 1;
        if (last >= 0 && hot.get(last).stencil().name().equals("jump")) last--; // to the next bytecode: left out
        if (last < 0) return false;
        return switch (hot.get(last).stencil().name()) {
            case "push_rax" -> state != PENDING && isPush(hot);
            // a result replacing the slots it came from: those popped instead when they are on the stack
            case "store_rax" -> state != PENDING2;
            case "pop_store_rax" -> state != PENDING;
            default -> false;
        };
    }

    /**
     * The code of a bytecode that takes the slots pushes left in registers (PENDING: rax;
     * PENDING2: rax and rcx): what it does with them, the stack untouched; or a second push left
     * out, into rcx. Null when that bytecode cannot: it needs them on the stack, or does not
     * consume them. Its way to its other cases pushes them first (spill_rax, spill2, and
     * spill_rcx for pop_field's write barrier); a result of its own is pushed, or left out in
     * its turn when {@code defer}.
     */
    private static List<Piece> popPending(List<Piece> pieces, int state, boolean defer, int[] after, BiFunction<String, Piece, Piece> named) {
        List<Piece> out = new ArrayList<>();
        boolean one = state == PENDING, taken = false;
        for (Piece p : pieces) {
            String name = p.stencil().name();
            if (one && !taken && name.startsWith("load_") && name.endsWith("_rax")) {
                out.add(named.apply(name.substring(0, name.length() - 4) + "_rcx", p)); // the second operand
                continue;
            }
            boolean twoOnly = name.startsWith("int_branch_") || name.startsWith("int_compare_");
            switch (twoOnly ? "int_two" : name) {
                // one slot in rax
                case "push_rax" -> { if (!one || taken) return null; taken = true; after[0] = PENDING2; }
                case "top_rax" -> { if (!one) return null; }
                case "pop" -> { if (!one) return null; taken = true; }
                case "pop_local" -> { if (!one) return null; taken = true; out.add(named.apply("store_local", p)); }
                case "return" -> { if (!one) return null; taken = true; out.add(p); }
                case "top_rcx" -> { if (!one) return null; out.add(named.apply("rax_to_rcx", p)); }
                case "store_slot_bail" -> { if (!one) return null; out.add(named.apply("store_slot_bail_rcx", p)); } // the value in rcx
                // a 0-argument send's guarded answer or length, on the receiver in rax
                case "self_to_rax", "class_guard", "trivial_getter", "trivial_state", "trivial_imm", "length",
                     "jump_if_true", "jump_if_false", "jump_if_nil", "jump_if_not_nil" -> { if (!one) return null; out.add(p); }
                case "store_rax", "pop_store_rax" -> {
                    if (one != name.equals("store_rax")) return null;
                    taken = true;
                    if (defer) after[0] = PENDING;
                    else { out.add(named.apply("push_rax", p)); after[0] = RAX; }
                }
                // two slots in rax and rcx
                case "top2" -> { if (one) return null; }
                case "pop2" -> { if (one) return null; taken = true; }
                case "int_operands", "array_index", "array_at", "int_two" -> { if (one) return null; out.add(p); }
                case "int_add", "int_sub" -> { if (one) return null; out.add(named.apply(name + "_pending", p)); } // an overflow undoes itself
                case "jump", "float_join" -> out.add(p);
                default -> { return null; }
            }
        }
        return taken ? out : null;
    }

    /** The state after a stencil that takes no part in the caching beyond what it leaves. */
    private static int after(String stencil, int k) {
        return switch (stencil) {
            // registers unchanged on the way through (a final jump to the next bytecode is left out)
            case "int_operands", "store_local", "jump", "class_guard", "small_int_operands", "float_join" -> k;
            // results stored as the new top and left in rax (the arithmetic, comparisons, at: and
            // 0-argument answers leave theirs to pop_store_rax and store_rax)
            case "identical", "dup", "push_env_slot", "push_global",
                 "int_and", "int_or", "int_xor", "int_mod", "int_rem", "int_div", "int_shift_right", "int_shift_left",
                 "trivial_self", "trivial_setter", "array_at_put", "array_at_put_immediate", "pop_store_rax", "store_rax" -> RAX;
            // a send's result: the callee's return stored it over the receiver and returns it in
            // rax (a guarded answer leaves it there too); any other way back comes through the
            // next bytecode's entry, which loads it
            case "send_hit", "call_direct", "block_value" -> RAX;
            case "pop" -> k == RAX_RCX ? RAX : NONE;
            default -> NONE;
        };
    }
}
