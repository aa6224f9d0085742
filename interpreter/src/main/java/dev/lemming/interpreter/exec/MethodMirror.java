package dev.lemming.interpreter.exec;

import dev.lemming.interpreter.bytecode.Bytecodes;
import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.memory.Heap;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import java.util.Arrays;

/**
 * The interpreter's decoded view of one compiled method (a cache: it can be rebuilt from the
 * method object, whose address never changes because methods are pinned). Holds the send
 * sites' inline caches.
 */
public final class MethodMirror {
    public final int id;
    public final long method;
    public final byte[] code;
    public final int numArgs, numTemps, flags, envSlots, maxStack, primitiveNumber;
    public final Primitive primitive;
    public final boolean isPrimitiveMethod;
    /** Monomorphic inline caches, by bytecode index of the send. */
    int[] icClass;
    MethodMirror[] icTarget;

    /** The receiver class the interpreter's inline cache at send site {@code ip} last saw (-1: none yet; -2: a super send's). */
    public int cachedClass(int ip) { return icClass[ip]; }
    /** The method that cache found for it. */
    public MethodMirror cachedTarget(int ip) { return icTarget[ip]; }
    /** Machine code, when an {@link ExecutionTier} compiled the method ({@link #installMachineCode}): its address by bytecode index (0 between bytecodes). */
    public long[] entries;
    /** The tier's own data about its machine code (its send cells). */
    public Object tierData;
    /** Activations so far, until the tier is asked to compile it (then no longer counted). */
    int invocations;

    /**
     * Trivial methods, which a send performs without a frame: {@code ^ field} (GETTER, field
     * index in {@link #trivialOperand}), {@code field := arg} answering self (SETTER), {@code ^ self}
     * and empty methods (SELF), {@code ^ nil}, {@code ^ 3}, {@code ^ 'literal'} ... (CONSTANT, the
     * push bytecode at 0). Accessors are most of the sends of object-oriented code.
     */
    public static final int NOT_TRIVIAL = 0, GETTER = 1, SETTER = 2, SELF = 3, CONSTANT = 4;
    public final int trivial, trivialOperand;
    /**
     * Each local's (argument's, then temp's) byte offset from the frame pointer, as
     * Interpreter.localAddress computes it: a table, so that the interpreter's loop reads it
     * without a call (C2 stops inlining into that large method before it reaches push_local).
     */
    public final long[] localOffset;
    /** The code the interpreter runs: {@link #code} with some sequences quickened ({@link Quickened}). */
    final byte[] interpreterCode;
    /**
     * Per quickened ip, its decoded operands ({@link Quickened#operand}, {@link Quickened#control};
     * control null when none); quickOperand also holds, per accessor's send site, the class and
     * field of {@link Quickened#GETTER_SEND} and {@link Quickened#SETTER_SEND}.
     */
    final long[] quickOperand, quickControl;
    /** The ips of the nil tests {@link #interpreterCode} has rewritten, or null. */
    private int[] nilTests;

    /** {@code isNil}, {@code notNil}: the selectors whose nil tests the interpreter's code has rewritten ({@link Quickened}); 0 for none. */
    MethodMirror(int id, long method, Heap heap, Primitive primitive, boolean isPrimitiveMethod, long isNil, long notNil) {
        this.id = id;
        this.method = method;
        long header = Tags.smallIntegerValue(Layout.fetch(method, 0));
        int literals = MethodHeader.numLiterals(header);
        this.numArgs = MethodHeader.numArgs(header);
        this.numTemps = MethodHeader.numTemps(header);
        this.flags = MethodHeader.flags(header);
        long info = Tags.smallIntegerValue(Layout.fetch(method, 1 + MethodHeader.INFO));
        this.envSlots = MethodHeader.envSlots(info);
        this.maxStack = MethodHeader.maxStack(info);
        this.primitiveNumber = MethodHeader.primitive(info);
        this.primitive = primitive;
        this.isPrimitiveMethod = isPrimitiveMethod;
        long first = Layout.slotAddress(method, 1 + literals);
        long n = Layout.numSlots(method) * 8 - (1 + literals) * 8L - dev.lemming.memory.object.Format.unusedBytes(
                dev.lemming.memory.object.Header.format(Layout.header(method)));
        this.code = new byte[(int) n];
        for (int i = 0; i < n; i++) code[i] = RawMemory.getByte(first + i);
        clearCaches();
        int[] t = isPrimitiveMethod || envSlots > 0 || isBlock() ? new int[]{NOT_TRIVIAL, 0} : trivialKind(code, numArgs);
        this.trivial = t[0];
        this.trivialOperand = t[1];
        this.localOffset = new long[numArgs + numTemps];
        for (int i = 0; i < localOffset.length; i++) localOffset[i] = i < numArgs ? -8L * (numArgs - i) : 8L * (Frame.HEADER - numArgs + i);
        Quickened q = Quickened.of(code, localOffset, literal -> {
            long selector = literal(literal);
            return selector == isNil ? Quickened.IS_NIL : selector == notNil ? Quickened.NOT_NIL : Quickened.OTHER;
        });
        this.nilTests = q.nilTests;
        this.interpreterCode = q.code;
        this.quickOperand = q.operand != null ? q.operand : new long[code.length]; // an accessor's send may be quickened at run time
        this.quickControl = q.control;
    }

    private static int[] trivialKind(byte[] c, int numArgs) {
        if (c.length == 1 && c[0] == Bytecodes.RETURN_SELF) return new int[]{SELF, 0};
        if (c.length == 2 && c[0] == Bytecodes.PUSH_SELF && c[1] == Bytecodes.RETURN_LOCAL) return new int[]{SELF, 0};
        if (c.length == 3 && c[0] == Bytecodes.PUSH_FIELD && c[2] == Bytecodes.RETURN_LOCAL) return new int[]{GETTER, c[1] & 0xFF};
        if (c.length == 5 && numArgs == 1 && c[0] == Bytecodes.PUSH_LOCAL && c[1] == 0 && c[2] == Bytecodes.POP_FIELD
                && c[4] == Bytecodes.RETURN_SELF) return new int[]{SETTER, c[3] & 0xFF};
        boolean constant = switch (c.length) {
            case 2 -> c[0] == Bytecodes.PUSH_NIL || c[0] == Bytecodes.PUSH_TRUE || c[0] == Bytecodes.PUSH_FALSE;
            case 4 -> c[0] == Bytecodes.PUSH_SMALL_INT || c[0] == Bytecodes.PUSH_LITERAL;
            default -> false;
        };
        return constant && c[c.length - 1] == Bytecodes.RETURN_LOCAL ? new int[]{CONSTANT, 0} : new int[]{NOT_TRIVIAL, 0};
    }

    /** isNil or notNil is no longer standard: the nil tests are sends again, as compiled (the conditional jumps after them never changed). */
    void undoNilTests() {
        if (nilTests == null) return;
        for (int ip : nilTests) System.arraycopy(code, ip, interpreterCode, ip, 4);
        nilTests = null;
    }

    /**
     * The code a tier compiles: {@link #code} with the interpreter's nil tests, while they stand
     * (see Interpreter's nilTestsStandard; the tier's code is discarded when they no longer
     * do). Machine code then tests for nil where the interpreter does, rather than send isNil
     * at a site whose inline cache, which the JIT inlines constant methods from, the
     * interpreter never filled. Standard bytecodes: ip, ip + 3 and ip + 4 are boundaries in both.
     */
    public byte[] tierCode() {
        if (nilTests == null) return code;
        byte[] c = code.clone();
        for (int ip : nilTests) System.arraycopy(interpreterCode, ip, c, ip, 4);
        return c;
    }

    /**
     * The tier's machine code for this method. Its sends' caches are linked by {@link
     * Interpreter}'s send when their slow path exits to the interpreter at them, so from now on
     * the interpreter runs the accessor sends it had quickened as sends again, or machine code
     * could exit at one at every execution without ever being linked.
     */
    public void installMachineCode(long[] entries) {
        for (int ip = 0; ip < code.length; ip += Bytecodes.length(code[ip]))
            if (interpreterCode[ip] == Quickened.GETTER_SEND || interpreterCode[ip] == Quickened.SETTER_SEND) interpreterCode[ip] = code[ip];
        this.entries = entries;
    }

    /** The tier dropped its machine code (evicted): back to the interpreter, counted again from zero so it can be compiled anew. */
    public void forgetMachineCode() {
        entries = null;
        tierData = null;
        invocations = 0;
    }

    /**
     * The stack a frame of this method may need: header, temps, operand stack, and 16 slots of
     * slack (a primitive's frame, a send's arguments). Checked against the stack limit before a
     * frame is built, by the interpreter and by machine code.
     */
    public long frameBytes() { return 8L * (Frame.HEADER + numTemps + maxStack + 16); }

    public boolean isBlock() { return (flags & MethodHeader.FLAG_BLOCK) != 0; }
    public boolean hasFlag(int f) { return (flags & f) != 0; }

    /** Literal {@code index} (MethodHeader.SIGNATURE, HOLDER, or FIRST_LITERAL + n). */
    public long literal(int index) { return Layout.fetch(method, 1 + index); }

    void clearCaches() {
        icClass = new int[code.length];
        Arrays.fill(icClass, -1);
        icTarget = new MethodMirror[code.length];
    }
}
