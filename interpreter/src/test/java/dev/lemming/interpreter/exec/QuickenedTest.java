package dev.lemming.interpreter.exec;

import dev.lemming.interpreter.bytecode.Bytecodes;
import dev.lemming.interpreter.compiler.Ast;
import dev.lemming.interpreter.compiler.CompiledCode;
import dev.lemming.interpreter.compiler.Compiler;
import dev.lemming.interpreter.compiler.Parser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Which sequences the interpreter quickens, and that nothing else in the code changes. The
 * behaviour (SmallIntegers, other operands, a jump into a sequence) is in
 * tests/som/QuickenedSequences.som; this test fails when quickening stops finding a loop's test
 * and step, which would otherwise only make the benchmarks slower.
 */
class QuickenedTest {
    private static Quickened quicken(String method) {
        Ast.MethodDef m = Parser.parseMethod("Test.som", method);
        CompiledCode c = Compiler.compile("Test.som", method, m, List.of("f", "g"));
        long[] offsets = new long[c.numArgs() + c.numTemps()];
        for (int i = 0; i < offsets.length; i++) offsets[i] = 8L * (i + 1); // distinct, multiples of 8 as frame offsets are
        Quickened q = Quickened.of(c.bytecodes(), offsets);
        // only opcode bytes of push_local and push_field change: every length, operand and ip stays
        for (int ip = 0; ip < q.code.length; ip++) {
            if (q.code[ip] != c.bytecodes()[ip]) {
                int was = c.bytecodes()[ip], is = q.code[ip];
                assertTrue(was == Bytecodes.PUSH_LOCAL && (is == Quickened.COMPARE_BRANCH || is == Quickened.ARITH_STORE)
                        || was == Bytecodes.PUSH_FIELD && (is == Quickened.FIELD_COMPARE_BRANCH || is == Quickened.FIELD_ARITH_STORE), "ip " + ip);
            }
        }
        return q;
    }

    /** The quickened opcodes, bytecode by bytecode (a quickened one is as long as the push_local it replaced). */
    private static List<Integer> quickened(Quickened q) {
        List<Integer> ops = new ArrayList<>();
        for (int ip = 0; ip < q.code.length; ) {
            int op = q.code[ip];
            boolean quick = op >= Quickened.COMPARE_BRANCH;
            if (quick) ops.add(op);
            ip += Bytecodes.length(quick ? Bytecodes.PUSH_LOCAL : op);
        }
        return ops;
    }

    @Test
    void aToDoLoopsTestAndStepAreEachOneBytecode() {
        Quickened q = quicken("m = ( | s | s := 0. 1 to: 10 do: [ :i | s := s + i ]. ^ s )");
        // the test (i <= limit), the body's s := s + i, the step i := i + 1
        assertEquals(List.of(Quickened.COMPARE_BRANCH, Quickened.ARITH_STORE, Quickened.ARITH_STORE), quickened(q));
        assertEquals(List.of(Quickened.COMPARE_BRANCH, Quickened.ARITH_STORE),
                quickened(quicken("m = ( 10 downTo: 1 do: [ :i | i ] )")));
    }

    @Test
    void comparisonsWithALocalOrASmallConstantBeforeAConditionalJump() {
        for (String cmp : List.of("<", ">", "<=", ">=", "=", "<>")) {
            assertEquals(List.of(Quickened.COMPARE_BRANCH), quickened(quicken("m: a with: b = ( a " + cmp + " b ifTrue: [ ^ 1 ]. ^ 2 )")), cmp);
            assertEquals(List.of(Quickened.COMPARE_BRANCH), quickened(quicken("m: a = ( [ a " + cmp + " -7 ] whileFalse: [ ^ 1 ]. ^ 2 )")), cmp);
        }
    }

    @Test
    void theOperandsAndOutcomesAreDecodedOnce() {
        Quickened q = quicken("m: a = ( a < 5 ifTrue: [ ^ 1 ]. ^ 2 )");
        assertEquals(Quickened.COMPARE_BRANCH, q.code[0]);
        assertEquals(5L << 3 | 1, q.operand[0], "the constant, tagged as a SmallInteger");
        long c = q.control[0];
        assertEquals(1, c & 7, "true when less");
        int ifTrue = (int) (c >>> Quickened.IF_TRUE & Quickened.IP_MASK), ifFalse = (int) (c >>> Quickened.IF_FALSE & Quickened.IP_MASK);
        // push_local 2, push_small_int 3, send_lt 4, jump_if_false 3: true falls through at 12
        assertEquals(12, ifTrue);
        assertTrue(ifFalse > ifTrue, "false jumps ahead, past ^ 1");
    }

    @Test
    void aSumOrDifferenceStoredInALocal() {
        assertEquals(List.of(Quickened.ARITH_STORE), quickened(quicken("m: a with: b = ( | c | c := a + b. ^ c )")));
        assertEquals(List.of(Quickened.ARITH_STORE), quickened(quicken("m: a = ( | c | c := a - 3. ^ c )")));
    }

    @Test
    void theFieldVariantsTakeAFieldLocalOrConstantAndStoreInAFieldOrLocal() {
        assertEquals(List.of(Quickened.FIELD_COMPARE_BRANCH, Quickened.FIELD_COMPARE_BRANCH, Quickened.FIELD_COMPARE_BRANCH),
                quickened(quicken("m: a = ( f < g ifTrue: [ ^ 1 ]. f = a ifTrue: [ ^ 2 ]. [ g >= 3 ] whileTrue: [ ^ 3 ]. ^ 4 )")));
        Quickened q = quicken("m: a = ( | k | f := f + g. g := f - a. k := g + 3. ^ k )");
        assertEquals(List.of(Quickened.FIELD_ARITH_STORE, Quickened.FIELD_ARITH_STORE, Quickened.FIELD_ARITH_STORE), quickened(q));
        // f := f + g: push_field 0, push_field 1, send_add, pop_field 0
        assertEquals(1L << 3 | Quickened.FIELD_TAG, q.operand[0], "the second field's index, tagged");
        long c = q.control[0];
        assertEquals(0, c & 1, "a sum");
        assertEquals(1, c >>> Quickened.TO_FIELD & 1, "into a field");
        assertEquals(0, c >> Quickened.STORE, "field 0");
        assertEquals(10, c >>> Quickened.NEXT & Quickened.IP_MASK);
        long k = q.control[20]; // k := g + 3 (push_field 2 + push_small_int 3 + send 4 + pop_local 2 after two sequences of 10)
        assertEquals(0, k >>> Quickened.TO_FIELD & 1, "into a local");
        assertEquals(8L * 2, k >> Quickened.STORE, "k's offset (the test's offsets: 8 * (index + 1))");
        // a field is no second operand for a sequence that starts with a local, nor a destination
        assertEquals(List.of(), quickened(quicken("m: a = ( a < f ifTrue: [ ^ 1 ]. ^ 2 )")));
        assertEquals(List.of(), quickened(quicken("m: a = ( f := a + 1 )")));
    }

    @Test
    void everyQuickenedStepContinuesWhereItsSequenceEndsEvenInAMethodOfAMegabyte() {
        // a := a + 1, 100,000 times (no jump: the compiler takes a method of any length without one)
        byte[] step = {Bytecodes.PUSH_LOCAL, 0, Bytecodes.PUSH_SMALL_INT, 1, 0, Bytecodes.SEND_ADD, 0, 0, 1, Bytecodes.POP_LOCAL, 0};
        byte[] code = new byte[step.length * 100_000 + 1];
        for (int i = 0; i + 1 < code.length; i += step.length) System.arraycopy(step, 0, code, i, step.length);
        code[code.length - 1] = Bytecodes.RETURN_SELF;
        Quickened q = Quickened.of(code, new long[]{8});
        for (int ip = 0; ip + 1 < code.length; ip += step.length) {
            if (q.code[ip] == Quickened.ARITH_STORE) assertEquals(ip + step.length, q.control[ip] >>> Quickened.NEXT & Quickened.IP_MASK, "ip " + ip);
            else assertEquals(Bytecodes.PUSH_LOCAL, q.code[ip], "ip " + ip);
        }
        assertEquals(2, quickened(quicken("m: a = ( | b | b := a + 1. b := b - a. ^ b )")).size(), "a small method is still quickened");
    }

    @Test
    void aNilTestBeforeAConditionalJumpBecomesAJumpIfNotNilAndWhatNilAnswers() {
        String source = "m: a = ( a isNil ifTrue: [ ^ 1 ]. [ a notNil ] whileTrue: [ ^ 2 ]. ^ a isNil )";
        CompiledCode c = Compiler.compile("Test.som", source, Parser.parseMethod("Test.som", source), List.of());
        byte[] original = c.bytecodes();
        Quickened q = Quickened.of(original, new long[]{8}, literal -> {
            Object l = c.literals().get(literal - dev.lemming.interpreter.bytecode.MethodHeader.FIRST_LITERAL);
            String name = l instanceof Ast.Sym sym ? sym.name() : "";
            return name.equals("isNil") ? Quickened.IS_NIL : name.equals("notNil") ? Quickened.NOT_NIL : Quickened.OTHER;
        });
        // ^ a isNil answers the send's value: a send, as compiled; the two others are rewritten
        assertEquals(2, q.nilTests.length);
        int isNil = q.nilTests[0], notNil = q.nilTests[1];
        for (int ip : q.nilTests) {
            assertEquals(Bytecodes.SEND, original[ip]);
            assertEquals(Bytecodes.JUMP_IF_NOT_NIL, q.code[ip]);
            for (int k = ip + 4; k < ip + 7; k++) assertEquals(original[k], q.code[k], "the conditional jump stays as it was");
        }
        // isNil ifTrue: is isNil, jump_if_false past ^ 1: anything but nil goes where false does
        assertEquals(Bytecodes.JUMP_IF_FALSE, original[isNil + 4]);
        assertEquals(isNil + 7 + Bytecodes.u16(original, isNil + 5), isNil + 3 + Bytecodes.u16(q.code, isNil + 1));
        assertEquals(Bytecodes.PUSH_TRUE, q.code[isNil + 3], "nil isNil");
        // whileTrue: on notNil leaves the loop on false (jump_if_false): anything but nil stays in it
        assertEquals(Bytecodes.JUMP_IF_FALSE, original[notNil + 4]);
        assertEquals(notNil + 7, notNil + 3 + Bytecodes.u16(q.code, notNil + 1));
        assertEquals(Bytecodes.PUSH_FALSE, q.code[notNil + 3], "nil notNil");
        // nothing else changed
        for (int ip = 0; ip < original.length; ip++)
            if (ip < isNil || ip >= isNil + 4 && (ip < notNil || ip >= notNil + 4)) assertEquals(original[ip], q.code[ip], "ip " + ip);
        assertNull(Quickened.of(original, new long[]{8}).nilTests, "without the selectors (not standard), no nil test is rewritten");
    }

    @Test
    void otherSequencesStayAsCompiled() {
        assertEquals(List.of(), quickened(quicken("m: a with: b = ( ^ a < b )")), "a comparison whose value is answered");
        assertEquals(List.of(), quickened(quicken("m: a with: b = ( ^ a * b )")));
        assertEquals(List.of(), quickened(quicken("m: a = ( ^ a + 1000000 )")), "a constant past push_small_int's 16 bits is a literal");
        assertEquals(List.of(), quickened(quicken("m: a = ( | b | b := a foo. ^ b )")));
    }
}
