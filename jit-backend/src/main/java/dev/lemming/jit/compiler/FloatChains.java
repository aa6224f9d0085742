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
     * returns, and any send that may run other code (which may keep another result) forgets
     * which result was last.
     */
    static FloatChains of(byte[] code, BitSet jumpTargets) {
        FloatChains f = new FloatChains();
        List<Integer> stack = new ArrayList<>();
        int[] locals = new int[256];
        Arrays.fill(locals, UNKNOWN);
        int last = UNKNOWN; // the arithmetic send whose result machine code kept last
        for (int ip = 0; ip < code.length; ip += length(code[ip])) {
            if (jumpTargets.get(ip)) {
                stack.clear();
                Arrays.fill(locals, UNKNOWN);
                last = UNKNOWN;
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
                    if (last != UNKNOWN && receiver == last) f.cachedReceiver.set(ip);
                    else if (last != UNKNOWN && argument == last) f.cachedArgument.set(ip);
                    if (f.cachedReceiver.get(ip) || f.cachedArgument.get(ip)) f.remember.set(last);
                    boolean arithmetic = op == SEND_ADD || op == SEND_SUB || op == SEND_MUL;
                    stack.add(arithmetic ? ip : UNKNOWN);
                    if (arithmetic) last = ip; // comparisons keep nothing
                }
                case SEND_IDENTICAL -> { pop(stack); pop(stack); stack.add(UNKNOWN); }
                case SEND, SUPER_SEND, SEND_AND, SEND_OR, SEND_IF_TRUE_IF_FALSE -> {
                    for (int i = 0; i <= (code[ip + 3] & 0xFF); i++) pop(stack);
                    stack.add(UNKNOWN);
                    last = UNKNOWN;
                }
                default -> { // jumps and returns: what follows is a jump target or not reached
                    stack.clear();
                    Arrays.fill(locals, UNKNOWN);
                    last = UNKNOWN;
                }
            }
        }
        return f;
    }

    /** The top slot's maker; below the part of the stack this model followed, UNKNOWN. */
    private static int top(List<Integer> stack) { return stack.isEmpty() ? UNKNOWN : stack.get(stack.size() - 1); }

    private static int pop(List<Integer> stack) { return stack.isEmpty() ? UNKNOWN : stack.remove(stack.size() - 1); }
}
