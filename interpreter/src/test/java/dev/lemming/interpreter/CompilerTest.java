package dev.lemming.interpreter;

import dev.lemming.interpreter.bytecode.Bytecodes;
import dev.lemming.interpreter.compiler.Ast;
import dev.lemming.interpreter.compiler.CompiledCode;
import dev.lemming.interpreter.compiler.Compiler;
import dev.lemming.interpreter.compiler.Parser;
import dev.lemming.interpreter.compiler.SyntaxError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CompilerTest {
    private static CompiledCode compile(String method, String... fields) {
        Ast.MethodDef m = Parser.parseMethod("Test.som", method);
        return Compiler.compile("Test.som", method, m, List.of(fields));
    }

    private static List<Integer> opcodes(byte[] code) {
        List<Integer> ops = new ArrayList<>();
        for (int i = 0; i < code.length; i += Bytecodes.length(code[i])) ops.add((int) code[i]);
        return ops;
    }

    @Test
    void syntaxErrorsNameFileLineAndColumnAndShowTheLine() {
        SyntaxError e = assertThrows(SyntaxError.class, () -> Parser.parseClass("Foo.som", "Foo = (\n  bar = ( ^ 3 + )\n)\n"));
        assertEquals(2, e.line);
        assertTrue(e.getMessage().startsWith("Foo.som:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("  bar = ( ^ 3 + )"), e.getMessage());
        assertTrue(e.getMessage().contains("^"), e.getMessage());
        SyntaxError s = assertThrows(SyntaxError.class, () -> Parser.parseClass("S.som", "S = ( x = ( ^ 'abc ) )"));
        assertTrue(s.getMessage().contains("string is not closed"), s.getMessage());
    }

    @Test
    void controlFlowWithLiteralBlocksBecomesJumps() {
        CompiledCode c = compile("m: x = ( x > 0 ifTrue: [ ^ 1 ] ifFalse: [ ^ 2 ] )");
        List<Integer> ops = opcodes(c.bytecodes());
        assertTrue(ops.contains(Bytecodes.JUMP_IF_FALSE));
        assertFalse(ops.contains(Bytecodes.PUSH_BLOCK), "no closures for inlined blocks");
        assertFalse(c.literals().contains(new Ast.Sym("ifTrue:ifFalse:")));

        CompiledCode loop = compile("m = ( | s | s := 0. 1 to: 10 do: [ :i | s := s + i ]. ^ s )");
        List<Integer> lops = opcodes(loop.bytecodes());
        assertTrue(lops.contains(Bytecodes.JUMP_BACK));
        assertTrue(lops.contains(Bytecodes.SEND_ADD));
        assertFalse(lops.contains(Bytecodes.PUSH_BLOCK));
    }

    @Test
    void shortCircuitOperatorsWithLiteralBlocksBecomeJumps() {
        for (String op : List.of("&&", "||", "and:", "or:")) {
            CompiledCode c = compile("m: x = ( ^ x > 0 " + op + " [ x < 10 ] )");
            List<Integer> ops = opcodes(c.bytecodes());
            assertTrue(ops.contains(op.equals("&&") || op.equals("and:") ? Bytecodes.JUMP_IF_FALSE : Bytecodes.JUMP_IF_TRUE), op);
            assertFalse(ops.contains(Bytecodes.PUSH_BLOCK), op + ": no closure");
            assertFalse(c.literals().contains(new Ast.Sym(op)), op + ": no send");
        }
        // an argument that is not a literal block is evaluated before the send, as the send needs it
        CompiledCode eager = compile("m: x = ( ^ x && (x foo) )");
        assertTrue(eager.literals().contains(new Ast.Sym("&&")));
        // ... by the boolean send, which answers without a frame when x is true or false
        List<Integer> ops = opcodes(eager.bytecodes());
        assertEquals(Bytecodes.SEND_AND, ops.get(ops.size() - 2), "the send before the return");
    }

    @Test
    void shortCircuitConditionsBranchOnEachOperand() {
        // as a condition, a && [b] is two conditional jumps: no Boolean pushed to be tested again
        for (String m : List.of("m: x = ( (x > 0 and: [ x < 10 ]) ifTrue: [ ^ 1 ]. ^ 2 )",
                "m: x = ( ^ (x > 0 || [ x < -10 ]) ifTrue: [ 1 ] ifFalse: [ 2 ] )",
                "m: x = ( | n | n := x. [ n > 0 && [ n odd ] ] whileTrue: [ n := n - 2 ]. ^ n )",
                "m: x = ( (x > 0 and: [ x < 10 or: [ x = 20 ] ]) ifFalse: [ ^ 1 ]. ^ 2 )")) {
            List<Integer> ops = opcodes(compile(m).bytecodes());
            assertFalse(ops.contains(Bytecodes.PUSH_FALSE) || ops.contains(Bytecodes.PUSH_TRUE), m + ": " + ops);
            long branches = ops.stream().filter(o -> o == Bytecodes.JUMP_IF_FALSE || o == Bytecodes.JUMP_IF_TRUE).count();
            assertEquals(m.contains("x = 20") ? 3 : 2, branches, m + ": a branch per operand");
        }
        // as a value, it is still one
        assertTrue(opcodes(compile("m: x = ( ^ x > 0 and: [ x < 10 ] )").bytecodes()).contains(Bytecodes.PUSH_FALSE));
    }

    @Test
    void booleanSendsWithOtherArgumentsAreSpecialSends() {
        assertTrue(opcodes(compile("m: x = ( ^ x or: 3 )").bytecodes()).contains(Bytecodes.SEND_OR));
        assertTrue(opcodes(compile("m: x = ( ^ x || x )").bytecodes()).contains(Bytecodes.SEND_OR));
        assertTrue(opcodes(compile("m: x = ( ^ x ifTrue: 1 ifFalse: x )").bytecodes()).contains(Bytecodes.SEND_IF_TRUE_IF_FALSE));
        // one literal block and one other argument: not inlined, and still the boolean send
        assertTrue(opcodes(compile("m: x = ( ^ x ifTrue: [ 1 ] ifFalse: x )").bytecodes()).contains(Bytecodes.SEND_IF_TRUE_IF_FALSE));
        assertTrue(opcodes(compile("m: x = ( ^ super and: x )").bytecodes()).contains(Bytecodes.SUPER_SEND), "super stays a super send");
    }

    @Test
    void blocksThatAreNotLiteralArgumentsStayClosures() {
        CompiledCode c = compile("m: b = ( ^ true ifTrue: b )");
        assertTrue(opcodes(c.bytecodes()).contains(Bytecodes.SEND), "ifTrue: with a variable is a real send");
        CompiledCode d = compile("m = ( ^ #(1 2) collect: [ :e | e ] )");
        assertTrue(opcodes(d.bytecodes()).contains(Bytecodes.PUSH_BLOCK));
    }

    @Test
    void capturedVariablesGoToTheEnvironmentAndOthersStayInTheFrame() {
        CompiledCode c = compile("m = ( | a b | a := 1. b := 2. ^ [ a ] )");
        assertEquals(1, c.numTemps(), "b stays in the frame");
        assertEquals(3, c.envSlots(), "parent, home marker, and a");
        CompiledCode d = compile("m = ( | a | a := 1. ^ a )");
        assertEquals(0, d.envSlots());
        CompiledCode nlr = compile("m = ( #(1) do: [ :e | ^ e ]. ^ 0 )");
        assertEquals(2, nlr.envSlots(), "a home marker for the non-local return");
    }

    @Test
    void fieldsAndGlobalsAreResolvedByName() {
        CompiledCode c = compile("m = ( ^ count + Foo )", "other", "count");
        List<Integer> ops = opcodes(c.bytecodes());
        assertEquals(Bytecodes.PUSH_FIELD, ops.get(0));
        assertEquals(1, c.bytecodes()[1], "count is field 1");
        assertEquals(Bytecodes.PUSH_GLOBAL, ops.get(1));
    }

    @Test
    void undeclaredAssignmentTargetsAreRefused() {
        assertThrows(SyntaxError.class, () -> compile("m = ( zork := 3 )"));
        assertThrows(SyntaxError.class, () -> compile("m = ( self := 3 )"));
    }
}
