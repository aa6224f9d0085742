package dev.lemming.interpreter.bytecode;

/**
 * What a compiled method's slot 0 (the memory's method header, a SmallInteger) and its
 * literal 2 (the info word, a SmallInteger) hold. Literal 0 is the signature (a Symbol),
 * literal 1 the holder class; the method's own literals follow.
 * <pre>
 * header: bits 0-15 literal count (the memory's rule) | 16-23 arguments | 24-39 frame temps | 40-47 flags
 * info:   bits 0-15 primitive number | 16-31 environment slots (0: none) | 32-47 max stack depth
 * </pre>
 */
public final class MethodHeader {
    private MethodHeader() {}

    public static final int SIGNATURE = 0, HOLDER = 1, INFO = 2, FIRST_LITERAL = 3;

    /** A compiled block, not a method. */
    public static final int FLAG_BLOCK = 1;
    /** ensure: and ifCurtailed: — the unwinder runs the block in frame temp 1 when it passes. */
    public static final int FLAG_UNWIND_PROTECT = 2;
    /** on:do: — exception handler search looks at these frames. */
    public static final int FLAG_HANDLER = 4;

    /** The bits above the literal count (Heap.allocateCompiledMethod shifts them up by 16). */
    public static long headerBits(int numArgs, int numTemps, int flags) {
        return numArgs | (long) numTemps << 8 | (long) flags << 24;
    }

    /** Literal slots, the three fixed ones (signature, holder, info) included. */
    public static int numLiterals(long headerValue) { return (int) headerValue & 0xFFFF; }
    public static int numArgs(long headerValue) { return (int) (headerValue >>> 16) & 0xFF; }
    public static int numTemps(long headerValue) { return (int) (headerValue >>> 24) & 0xFFFF; }
    public static int flags(long headerValue) { return (int) (headerValue >>> 40) & 0xFF; }

    public static long info(int primitive, int envSlots, int maxStack) {
        return primitive | (long) envSlots << 16 | (long) maxStack << 32;
    }
    public static int primitive(long info) { return (int) info & 0xFFFF; }
    public static int envSlots(long info) { return (int) (info >>> 16) & 0xFFFF; }
    public static int maxStack(long info) { return (int) (info >>> 32) & 0xFFFF; }
    public static long withPrimitive(long info, int primitive) { return (info & ~0xFFFFL) | primitive; }

    /** Environment layout: parent environment, home-frame marker (method scopes), captured variables. */
    public static final int ENV_PARENT = 0, ENV_HOME_FRAME = 1, ENV_FIRST_VAR = 2;
}
