package dev.lemming.stress.jit;

import java.util.Random;

/**
 * Random SOM programs for the JIT's differential test: SmallInteger arithmetic near the 61-bit
 * edges (so + - * overflow into large integers), comparisons, doubles, sends to receivers of
 * several classes at one site, blocks, loops, recursion, non-local returns, ensure: and errors
 * caught with on:do: (among them Array at: out of range and conditions that are no Boolean).
 * Every program terminates (loops and recursion are bounded) and prints what it computes, so
 * two tiers that disagree print different text.
 */
public final class ProgramGenerator {
    private final Random r;
    private int depth;

    public ProgramGenerator(long seed) { r = new Random(seed); }

    private static final String[] INTS = {"0", "1", "-1", "2", "3", "7", "-13", "100", "4096", "65535",
            "1152921504606846975", "-1152921504606846976", "576460752303423488", "1073741824", "-4611686018427387904"};
    private static final String[] BINARY = {"+", "-", "*", "+", "-", "*", "//", "%", "max:", "min:", "/", "rem:", "&", "bitXor:", "|", "<<", ">>>"};
    private static final String[] COMPARE = {"<", ">", "<=", ">=", "=", "=="};

    public String program(String className) {
        StringBuilder sb = new StringBuilder();
        sb.append(className).append(" = (\n  | f g |\n");
        sb.append("  run = (\n    | a b c arr |\n    a := ").append(intLiteral()).append(". b := ").append(intLiteral())
                .append(". c := 0. f := 3. g := 'g'.\n    arr := self mixed.\n");
        int statements = 6 + r.nextInt(10);
        for (int i = 0; i < statements; i++) sb.append("    ").append(statement()).append('\n');
        sb.append("  )\n");
        sb.append("  op: x with: y = ( ^self guarded: [").append(expr("x", "y")).append("] )\n");
        sb.append("  sum: n = ( n <= 0 ifTrue: [^0]. ^n + (self sum: n - 1) )\n");
        sb.append("  find: x in: coll = ( coll do: [:e | e = x ifTrue: [^'found ' + e asString]]. ^'none' )\n");
        sb.append("  loop: n = ( | s i | s := 0. i := 0. [i < n] whileTrue: [i := i + 1. s := s ")
                .append(r.nextBoolean() ? "+" : "-").append(" (i * ").append(intLiteral()).append(")]. ^s )\n");
        sb.append("  mixed = ( | m | m := Array new: 6. m at: 1 put: ").append(intLiteral()).append(". m at: 2 put: 'str'. ")
                .append("m at: 3 put: 2.5. m at: 4 put: #sym. m at: 6 put: (Array new: 2). ^m )\n");
        sb.append("  guarded: aBlock = ( ^[aBlock value] on: Error do: [:e | 'error: ' + e messageText] )\n");
        sb.append("  early: n = ( #(1 2 3 4 5) do: [:i | i = n ifTrue: [^i * 10]]. ^0 )\n");
        // machine code takes these operands in registers (never pushed): its ways out push them back
        sb.append("  at: coll index: i = ( | e | e := coll at: i. ^e )\n");
        sb.append("  test: x = ( x ifTrue: [^'yes']. ^'no' )\n");
        sb.append(")\n");
        return sb.toString();
    }

    private String statement() {
        return switch (r.nextInt(13)) {
            case 0, 1 -> "a := " + guardedInt() + ".";
            case 2 -> "b := " + guardedInt() + ". b println.";
            case 3 -> "(self guarded: [" + expr("a", "b") + "]) println.";
            case 4 -> "1 to: " + (1 + r.nextInt(20)) + " do: [:i | c := c + (self guarded: [i " + pick(BINARY) + " " + intLiteral() + "]) asString length]. c println.";
            case 5 -> "(self loop: " + r.nextInt(200) + ") println.";
            case 6 -> "arr do: [:x | (self guarded: [x " + pick(new String[] {"+ 1", "* 2", "printString", "asString", "= 2.5", "< 3", "length", "abs"}) + "]) println].";
            case 7 -> "(self sum: " + r.nextInt(300) + ") println.";
            case 8 -> "(self find: " + intLiteral() + " in: (Array with: a with: b with: 3)) println. (self early: " + r.nextInt(7) + ") println.";
            case 9 -> "[f := f + 1. (self guarded: [" + expr("a", "f") + "]) println] ensure: ['ensured' println].";
            case 10 -> "((self guarded: [" + expr("a", "b") + " " + pick(COMPARE) + " " + expr("a", "b") + "]) == true) ifTrue: [c := c + 1. 'yes' println] ifFalse: [c := c - 1. 'no' println]. (self guarded: [a " + pick(COMPARE) + " b]) println. ((a " + pick(COMPARE) + " " + intLiteral() + ") and: [b " + pick(COMPARE) + " " + intLiteral() + "]) println."
                    // non-block arguments: the boolean sends
                    + " ((a " + pick(COMPARE) + " " + intLiteral() + ") && (b " + pick(COMPARE) + " " + intLiteral() + ")) println."
                    + " ((a " + pick(COMPARE) + " b) || (b " + pick(COMPARE) + " " + intLiteral() + ") || (a " + pick(COMPARE) + " " + intLiteral() + ")) println.";
            // indices out of range and of other kinds, conditions that are no Boolean: errors caught
            case 11 -> "(self guarded: [self at: " + pick(new String[] {"arr", "(Array with: a with: b with: f)", "'str'", "#sym"}) + " index: "
                    + pick(new String[] {"1", "2", "3", "6", "0", "-1", "7", "10", "a", "b", "2.5", "1152921504606846975"}) + "]) println."
                    + " (self guarded: [self test: " + pick(new String[] {"true", "false", "a", "nil", "(a < b)", "'x'"}) + "]) println.";
            default -> "(self op: " + guardedInt() + " with: " + intLiteral() + ") println.";
        };
    }

    /** An integer-valued expression whose errors (division by zero, a non-number) become strings. */
    private String guardedInt() {
        return "(self guarded: [" + expr("a", "b") + "])";
    }

    private String expr(String x, String y) {
        if (depth > 3 || r.nextInt(4) == 0) return atom(x, y);
        depth++;
        try {
            // numbers stay numbers (comparisons are statements of their own), so programs run long
            return switch (r.nextInt(6)) {
                case 0, 1, 2 -> {
                    // a shift by up to 69 bits: shifts by millions made numbers of megabytes (a program of 35 s)
                    String op = pick(BINARY);
                    yield "(" + expr(x, y) + " " + op + " " + (op.equals("<<") ? Integer.toString(r.nextInt(80) - 10) : expr(x, y)) + ")";
                }
                case 3 -> r.nextBoolean()
                        ? "((" + expr(x, y) + " " + pick(COMPARE) + " " + expr(x, y) + ") ifTrue: [" + expr(x, y) + "] ifFalse: [" + atom(x, y) + "])"
                        : "((" + expr(x, y) + " " + pick(COMPARE) + " " + expr(x, y) + ") ifTrue: " + expr(x, y) + " ifFalse: " + atom(x, y) + ")"; // both evaluated
                case 4 -> "(" + expr(x, y) + " " + pick(new String[] {"abs", "negated", "sqrt", "sign", "abs", "negated"}) + ")";
                default -> "([:p | p " + pick(BINARY) + " " + atom(x, y) + "] value: " + expr(x, y) + ")";
            };
        } finally {
            depth--;
        }
    }

    private String atom(String x, String y) {
        return switch (r.nextInt(6)) {
            case 0 -> x;
            case 1 -> y;
            case 2 -> r.nextInt(5) == 0 ? (r.nextInt(100) + "." + r.nextInt(100)) : intLiteral();
            case 3 -> "f";
            default -> intLiteral();
        };
    }

    private String intLiteral() { return r.nextInt(3) == 0 ? Integer.toString(r.nextInt(2000) - 1000) : pick(INTS); }

    private String pick(String[] options) { return options[r.nextInt(options.length)]; }
}
