package dev.lemming.interpreter.bytecode;

/**
 * The bytecode set. One opcode byte, then operands: L = local slot (u8), D = env depth (u8),
 * F = field index (u8), K = literal index (u16, little-endian), N = argument count (u8),
 * J = jump distance (u16, from the end of the jump instruction). Control-flow sends with literal
 * blocks are compiled to jumps; the special sends (+ - * < > <= >= = <>) are ordinary sends whose
 * receiver and argument are tried as SmallIntegers (or SmallFloat64s) first; the boolean sends
 * (and:, &&, or:, ||, ifTrue:ifFalse: with arguments that are no literal blocks) are ordinary
 * sends whose receiver is tried as true or false first (see Interpreter.booleanAnswer).
 */
public final class Bytecodes {
    private Bytecodes() {}

    public static final int
            PUSH_LOCAL = 1,        // L
            PUSH_ENV = 2,          // D L
            PUSH_FIELD = 3,        // F
            PUSH_SELF = 4,
            PUSH_NIL = 5,
            PUSH_TRUE = 6,
            PUSH_FALSE = 7,
            PUSH_LITERAL = 8,      // K
            PUSH_GLOBAL = 9,       // K (a symbol)
            PUSH_BLOCK = 10,       // K (a compiled block): makes a closure
            POP = 11,
            DUP = 12,
            STORE_LOCAL = 13,      // L   (the value stays on the stack)
            STORE_ENV = 14,        // D L
            STORE_FIELD = 15,      // F
            POP_LOCAL = 16,        // L   (stores and pops)
            POP_ENV = 17,          // D L
            POP_FIELD = 18,        // F
            SEND = 19,             // K N
            SUPER_SEND = 20,       // K N
            RETURN_LOCAL = 21,
            RETURN_SELF = 22,
            RETURN_NON_LOCAL = 23, // D (env depth of the home method's environment)
            JUMP = 24,             // J
            JUMP_BACK = 25,        // J (backwards)
            JUMP_IF_TRUE = 26,     // J (pops)
            JUMP_IF_FALSE = 27,    // J (pops)
            JUMP_IF_NIL = 28,      // J (pops)
            JUMP_IF_NOT_NIL = 29,  // J (pops)
            SEND_ADD = 30,         // K N   + - * < > <= >= =
            SEND_SUB = 31,
            SEND_MUL = 32,
            SEND_LT = 33,
            SEND_GT = 34,
            SEND_LE = 35,
            SEND_GE = 36,
            SEND_EQ = 37,
            SEND_IDENTICAL = 38,   // K N   == (never looked up, as in every SOM)
            PUSH_SMALL_INT = 39,   // K-sized operand read as a signed 16-bit value
            SEND_AND = 40,         // K N   and: && (an argument that is no literal block)
            SEND_OR = 41,          // K N   or: ||
            SEND_IF_TRUE_IF_FALSE = 42, // K N   ifTrue:ifFalse: (arguments that are no literal blocks)
            SEND_NE = 43,          // K N   <> (a special send: Object>><> is (self = argument) not)
            COUNT = 44;

    private static final int[] LENGTH = new int[COUNT];
    private static final String[] NAME = new String[COUNT];

    static {
        def(PUSH_LOCAL, "push_local", 2); def(PUSH_ENV, "push_env", 3); def(PUSH_FIELD, "push_field", 2);
        def(PUSH_SELF, "push_self", 1); def(PUSH_NIL, "push_nil", 1); def(PUSH_TRUE, "push_true", 1);
        def(PUSH_FALSE, "push_false", 1); def(PUSH_LITERAL, "push_literal", 3); def(PUSH_GLOBAL, "push_global", 3);
        def(PUSH_BLOCK, "push_block", 3); def(POP, "pop", 1); def(DUP, "dup", 1);
        def(STORE_LOCAL, "store_local", 2); def(STORE_ENV, "store_env", 3); def(STORE_FIELD, "store_field", 2);
        def(POP_LOCAL, "pop_local", 2); def(POP_ENV, "pop_env", 3); def(POP_FIELD, "pop_field", 2);
        def(SEND, "send", 4); def(SUPER_SEND, "super_send", 4);
        def(RETURN_LOCAL, "return_local", 1); def(RETURN_SELF, "return_self", 1); def(RETURN_NON_LOCAL, "return_non_local", 2);
        def(JUMP, "jump", 3); def(JUMP_BACK, "jump_back", 3); def(JUMP_IF_TRUE, "jump_if_true", 3);
        def(JUMP_IF_FALSE, "jump_if_false", 3); def(JUMP_IF_NIL, "jump_if_nil", 3); def(JUMP_IF_NOT_NIL, "jump_if_not_nil", 3);
        def(SEND_ADD, "send_add", 4); def(SEND_SUB, "send_sub", 4); def(SEND_MUL, "send_mul", 4);
        def(SEND_LT, "send_lt", 4); def(SEND_GT, "send_gt", 4); def(SEND_LE, "send_le", 4); def(SEND_GE, "send_ge", 4);
        def(SEND_EQ, "send_eq", 4); def(SEND_IDENTICAL, "send_identical", 4); def(PUSH_SMALL_INT, "push_small_int", 3);
        def(SEND_AND, "send_and", 4); def(SEND_OR, "send_or", 4); def(SEND_IF_TRUE_IF_FALSE, "send_if_true_if_false", 4);
        def(SEND_NE, "send_ne", 4);
    }

    private static void def(int op, String name, int length) { NAME[op] = name; LENGTH[op] = length; }

    public static int length(int op) { return LENGTH[op]; }
    public static String name(int op) { return op > 0 && op < COUNT ? NAME[op] : "bad_" + op; }

    /** The special-send opcode for a selector, or SEND. */
    public static int specialSend(String selector) {
        return switch (selector) {
            case "+" -> SEND_ADD; case "-" -> SEND_SUB; case "*" -> SEND_MUL;
            case "<" -> SEND_LT; case ">" -> SEND_GT; case "<=" -> SEND_LE; case ">=" -> SEND_GE;
            case "=" -> SEND_EQ; case "==" -> SEND_IDENTICAL; case "<>" -> SEND_NE;
            case "and:", "&&" -> SEND_AND; case "or:", "||" -> SEND_OR; case "ifTrue:ifFalse:" -> SEND_IF_TRUE_IF_FALSE;
            default -> SEND;
        };
    }

    public static int u16(byte[] code, int at) { return (code[at] & 0xFF) | (code[at + 1] & 0xFF) << 8; }
}
