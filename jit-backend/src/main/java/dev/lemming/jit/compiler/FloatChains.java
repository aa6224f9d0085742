package dev.lemming.jit.compiler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static dev.lemming.interpreter.bytecode.Bytecodes.*;

/**
 * Where a special send's operand is likely the result of the arithmetic send just before it
 * (`a - b + c`, `zr := ... . 2.0 * zr`), so that a SmallFloat64 result is kept in xmm2 (the
 * {@code float_remember} stencil) and taken from there instead of decoded again
 * ({@code float_cached_rax}, {@code float_cached_rcx}). Only a guess, made once per method on
 * straight-line code: machine code checks that the operand equals the kept SmallFloat64, so a
 * wrong guess costs a compare and never gives a wrong value. Decoding every operand costs
 * Mandelbrot a decode and an encode on each link of its dependency chain.
 */
final class FloatChains {
    /** Arithmetic sends whose SmallFloat64 result a later send takes (float_remember). */
    final BitSet remember = new BitSet();
    /** Special sends whose receiver (argument) is likely the last result kept. */
    final BitSet cachedReceiver = new BitSet(), cachedArgument = new BitSet();

    private static final int UNKNOWN = -1;

    /**
     * Follows the stack and the locals bytecode by bytecode, each slot holding the arithmetic
     * send that made it (or UNKNOWN); the model is dropped at jump targets and after jumps and
     * returns. An operand made by P can be taken from xmm2 at C when no result is kept between
     * them: P runs after the last operation that took a kept operand (whose producer is the last
     * kept; results nobody takes are never kept, so `t := a * b. b + 1.0. t + 2.0` still finds t)
     * and after the last send that may run other code (which may keep results of its own).
     */
    static FloatChains of(byte[] code, BitSet jumpTargets) {
        FloatChains f = new FloatChains();
        List<Integer> stack = new ArrayList<>();
        int[] locals = new int[256];
        Arrays.fill(locals, UNKNOWN);
        int lastUse = UNKNOWN; // the last operation that takes a kept operand
        int barrier = UNKNOWN; // the last send that may run other code
        for (int ip = 0; ip < code.length; ip += length(code[ip])) {
            if (jumpTargets.get(ip)) {
                stack.clear();
                Arrays.fill(locals, UNKNOWN);
            }
            int op = code[ip];
            switch (op) {
                case PUSH_LOCAL -> stack.add(locals[code[ip + 1] & 0xFF]);
                case PUSH_ENV, PUSH_FIELD, PUSH_SELF, PUSH_NIL, PUSH_TRUE, PUSH_FALSE, PUSH_LITERAL, PUSH_GLOBAL,
                     PUSH_BLOCK, PUSH_SMALL_INT -> stack.add(UNKNOWN);
                case DUP -> stack.add(top(stack));
                case POP, POP_ENV, POP_FIELD, JUMP_IF_TRUE, JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL -> pop(stack);
                case STORE_LOCAL -> locals[code[ip + 1] & 0xFF] = top(stack);
                case POP_LOCAL -> locals[code[ip + 1] & 0xFF] = pop(stack);
                case STORE_ENV, STORE_FIELD -> { }
                case SEND_ADD, SEND_SUB, SEND_MUL, SEND_LT, SEND_GT, SEND_LE, SEND_GE, SEND_EQ, SEND_NE -> {
                    int argument = pop(stack), receiver = pop(stack);
                    int kept = usable(receiver, lastUse, barrier) ? receiver : usable(argument, lastUse, barrier) ? argument : UNKNOWN;
                    if (kept != UNKNOWN) {
                        (kept == receiver ? f.cachedReceiver : f.cachedArgument).set(ip);
                        f.remember.set(kept);
                        lastUse = ip;
                    }
                    boolean arithmetic = op == SEND_ADD || op == SEND_SUB || op == SEND_MUL;
                    stack.add(arithmetic ? ip : UNKNOWN); // comparisons make no SmallFloat64
                }
                case SEND_IDENTICAL -> { pop(stack); pop(stack); stack.add(UNKNOWN); }
                case SEND, SUPER_SEND, SEND_AND, SEND_OR, SEND_IF_TRUE_IF_FALSE -> {
                    for (int i = 0; i <= (code[ip + 3] & 0xFF); i++) pop(stack);
                    stack.add(UNKNOWN);
                    barrier = ip;
                }
                default -> { // jumps and returns: what follows is a jump target or not reached
                    stack.clear();
                    Arrays.fill(locals, UNKNOWN);
                }
            }
        }
        return f;
    }

    /**
     * Can the result of producer still be in xmm2: made after the last send that may run other
     * code, and no result kept after it (every kept result is taken by the operation at lastUse
     * or before; producer's own float_remember comes after its own operands were taken).
     */
    private static boolean usable(int producer, int lastUse, int barrier) {
        return producer != UNKNOWN && producer >= lastUse && producer > barrier;
    }

    /** The top slot's maker; below the part of the stack this model followed, UNKNOWN. */
    private static int top(List<Integer> stack) { return stack.isEmpty() ? UNKNOWN : stack.get(stack.size() - 1); }

    private static int pop(List<Integer> stack) { return stack.isEmpty() ? UNKNOWN : stack.remove(stack.size() - 1); }
}
