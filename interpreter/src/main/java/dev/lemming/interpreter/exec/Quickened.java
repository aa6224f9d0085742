package dev.lemming.interpreter.exec;

import static dev.lemming.interpreter.bytecode.Bytecodes.*;

import dev.lemming.memory.object.Tags;

/**
 * The interpreter's own copy of a method's bytecode, where the first bytecode of two common
 * sequences is replaced by one that performs the whole sequence when its operands are
 * SmallIntegers (quickening). Every ip, length and operand stays where it was, so the method's
 * code (what the compiler made, the JIT reads and backtraces map) is not touched, a jump into
 * the middle of a sequence still finds its bytecodes, and a quickened bytecode whose operands
 * are anything else does what the bytecode it replaced does (push_local, push_field) and lets the rest of
 * the sequence run as it is.
 *
 * <ul>
 *   <li>{@link #COMPARE_BRANCH}: push_local a; push_local b (or push_small_int k); a comparison
 *       (&lt; &gt; &lt;= &gt;= = &lt;&gt;); jump_if_true or jump_if_false. A to:do: loop's test and most
 *       whileTrue: conditions: four dispatches become one.</li>
 *   <li>{@link #ARITH_STORE}: push_local a; push_local b (or push_small_int k); + or -;
 *       pop_local c. A to:do: loop's step, {@code k := k + i}: four dispatches become one.</li>
 *   <li>{@link #FIELD_COMPARE_BRANCH}, {@link #FIELD_ARITH_STORE}: the same starting with
 *       push_field a, the second operand a field too or as above, the result stored by
 *       pop_field or pop_local: {@code x > limit ifTrue:}, {@code x := x + xVel}.</li>
 *   <li>A nil test: isNil or notNil (a send), then jump_if_true or jump_if_false. While only
 *       Object and Nil define them, as the constants they are (Interpreter#checkNilTests), the
 *       send's four bytes become jump_if_not_nil to where a receiver other than nil goes, then
 *       the push of what nil answers (push_true for isNil), which the conditional jump, as it
 *       was, takes: one dispatch for any receiver but nil, three for nil, in place of a send
 *       and a jump, and no opcode of the interpreter's own.</li>
 * </ul>
 *
 * The operands are decoded once, here, into two words per site ({@link #operand},
 * {@link #control}), so the interpreter reads no more bytes of the sequence.
 *
 * <p>Two more opcodes are written by the interpreter itself, at run time, over a send's opcode
 * when its inline cache finds an accessor: {@link #GETTER_SEND} and {@link #SETTER_SEND}.
 */
final class Quickened {
    /** Interpreter-only opcodes, next to the bytecode set's so that the loop's switch stays dense. */
    static final int COMPARE_BRANCH = COUNT, ARITH_STORE = COUNT + 1;
    /** The same sequences starting with push_field (its second operand may be a field too, its store pop_field). */
    static final int FIELD_COMPARE_BRANCH = COUNT + 2, FIELD_ARITH_STORE = COUNT + 3;
    /**
     * A send without arguments whose inline cache found a getter: the interpreter answers the
     * field when the receiver has the class the site saw (operand: class index << 32 | field
     * index), and sends otherwise. Written by the send itself, at run time.
     */
    static final int GETTER_SEND = COUNT + 4;
    /** The same for a setter's send (one argument): the field is stored, the receiver answered. */
    static final int SETTER_SEND = COUNT + 5;
    /** What a nilTest function answers for a send's literal: the selector is isNil, notNil, or another. */
    static final int IS_NIL = 1, NOT_NIL = 2, OTHER = 0;

    /** The interpreter's code: the method's, with the quickened opcodes in place. */
    final byte[] code;
    /**
     * Per quickened ip, the second operand: a tagged SmallInteger (tag 1) for push_small_int,
     * the local's byte offset from the frame pointer (a multiple of 8, tag 0), or a field's index
     * shifted left by 3 ({@link #FIELD_TAG}, the field variants only).
     */
    final long[] operand;
    /**
     * Per quickened ip. COMPARE_BRANCH: bits 0-2 the outcomes that make the condition true
     * (1 less, 2 equal, 4 greater), from bit {@link #IF_TRUE} the ip when true, from bit
     * {@link #IF_FALSE} the ip when false. ARITH_STORE: bit 0 set for -, from bit {@link #NEXT}
     * the ip after the sequence, bit {@link #TO_FIELD} set when the result goes to a field, from
     * bit {@link #STORE} that field's index or the stored local's offset from the frame pointer
     * (signed). Each ip takes {@link #IP_MASK}'s 20 bits.
     */
    final long[] control;
    static final int IF_TRUE = 3, IF_FALSE = 23, NEXT = 1, TO_FIELD = 21, STORE = 32, IP_MASK = 0xFFFFF;
    static final long FIELD_TAG = 2;

    /** The ips of the nil tests rewritten (see above), or null when none. */
    final int[] nilTests;

    private Quickened(byte[] code, long[] operand, long[] control, int[] nilTests) {
        this.code = code; this.operand = operand; this.control = control; this.nilTests = nilTests;
    }

    /** The quickened copy of {@code original}, or a copy without changes when no sequence is found. */
    static Quickened of(byte[] original, long[] localOffset) { return of(original, localOffset, literal -> OTHER); }

    /**
     * The same with the nil tests rewritten; {@code nilTest} tells, by a send's literal index,
     * whether its selector is isNil ({@link #IS_NIL}), notNil ({@link #NOT_NIL}) or another.
     */
    static Quickened of(byte[] original, long[] localOffset, java.util.function.IntUnaryOperator nilTest) {
        byte[] q = original.clone();
        long[] operand = null, control = null;
        int[] nilTests = new int[0];
        // control holds ips in IP_MASK's 20 bits: a method of a megabyte or more (no jumps, or the
        // compiler would have refused it) runs as compiled
        if (original.length > IP_MASK) return new Quickened(q, null, null, null);
        for (int ip = 0; ip < original.length; ip += length(original[ip])) {
            if (original[ip] == SEND && isNilTest(original, ip, nilTest)) {
                boolean isNil = nilTest.applyAsInt(u16(original, ip + 1)) == IS_NIL;
                int jump = ip + 4, target = jump + 3 + u16(original, jump + 1);
                // what a receiver other than nil answers (isNil false), and whether the jump takes it
                boolean jumpsUnlessNil = (original[jump] == JUMP_IF_TRUE) != isNil;
                int unlessNil = jumpsUnlessNil ? target : jump + 3;
                q[ip] = (byte) JUMP_IF_NOT_NIL;
                q[ip + 1] = (byte) (unlessNil - (ip + 3));
                q[ip + 2] = (byte) (unlessNil - (ip + 3) >> 8);
                q[ip + 3] = (byte) (isNil ? PUSH_TRUE : PUSH_FALSE);
                nilTests = java.util.Arrays.copyOf(nilTests, nilTests.length + 1);
                nilTests[nilTests.length - 1] = ip;
                continue;
            }
            boolean fromField = original[ip] == PUSH_FIELD; // a in a field: the second operand may be one too
            if (original[ip] != PUSH_LOCAL && !fromField) continue;
            int second = ip + 2;
            if (second >= original.length) break;
            long b;
            int op;
            if (original[second] == PUSH_LOCAL) { b = localOffset[original[second + 1] & 0xFF]; op = second + 2; }
            else if (original[second] == PUSH_SMALL_INT) { b = Tags.smallInteger((short) u16(original, second + 1)); op = second + 3; }
            else if (original[second] == PUSH_FIELD && fromField) { b = (long) (original[second + 1] & 0xFF) << 3 | FIELD_TAG; op = second + 2; }
            else continue;
            int last = op + 4; // past the send
            if (last >= original.length) continue;
            long c;
            int quick;
            int outcomes = outcomes(original[op]);
            if (outcomes != 0 && (original[last] == JUMP_IF_TRUE || original[last] == JUMP_IF_FALSE)) {
                int fall = last + 3, taken = fall + u16(original, last + 1);
                boolean onTrue = original[last] == JUMP_IF_TRUE;
                int ifTrue = onTrue ? taken : fall, ifFalse = onTrue ? fall : taken;
                c = outcomes | (long) ifTrue << IF_TRUE | (long) ifFalse << IF_FALSE;
                quick = fromField ? FIELD_COMPARE_BRANCH : COMPARE_BRANCH;
            } else if ((original[op] == SEND_ADD || original[op] == SEND_SUB)
                    && (original[last] == POP_LOCAL || original[last] == POP_FIELD && fromField)) {
                boolean toField = original[last] == POP_FIELD;
                long store = toField ? original[last + 1] & 0xFF : localOffset[original[last + 1] & 0xFF];
                c = (original[op] == SEND_SUB ? 1 : 0) | (long) (last + 2) << NEXT | (toField ? 1L << TO_FIELD : 0) | store << STORE;
                quick = fromField ? FIELD_ARITH_STORE : ARITH_STORE;
            } else {
                continue;
            }
            if (operand == null) { operand = new long[original.length]; control = new long[original.length]; }
            q[ip] = (byte) quick;
            operand[ip] = b;
            control[ip] = c;
        }
        return new Quickened(q, operand, control, nilTests.length == 0 ? null : nilTests);
    }

    /** A send of isNil or notNil followed by a conditional jump whose target, from the send, fits a jump's 16 bits. */
    private static boolean isNilTest(byte[] c, int ip, java.util.function.IntUnaryOperator nilTest) {
        int jump = ip + 4;
        return jump + 2 < c.length && (c[jump] == JUMP_IF_TRUE || c[jump] == JUMP_IF_FALSE)
                && u16(c, jump + 1) + 4 <= 0xFFFF && nilTest.applyAsInt(u16(c, ip + 1)) != OTHER;
    }

    /** The outcomes (1 less, 2 equal, 4 greater) for which a comparison answers true; 0: no comparison. */
    private static int outcomes(int op) {
        return switch (op) {
            case SEND_LT -> 1; case SEND_LE -> 3; case SEND_EQ -> 2; case SEND_GE -> 6; case SEND_GT -> 4; case SEND_NE -> 5;
            default -> 0;
        };
    }
}
