package dev.lemming.memory.object;

/**
 * Object formats: what the slots of an object hold. The collectors only need to know which
 * slots are references; everything else is the interpreter's business.
 */
public final class Format {
    private Format() {}

    /** Named fields only (instance variables); also objects with no slots at all. */
    public static final int FIXED_POINTERS = 1;
    /** Indexable references only (Array). */
    public static final int INDEXABLE_POINTERS = 2;
    /** Named fields followed by indexable references; the class knows where the split is. */
    public static final int FIXED_AND_INDEXABLE_POINTERS = 3;
    /** Indexable 64-bit words that are not references (large-integer digits, boxed doubles). */
    public static final int WORDS = 9;
    /** Indexable bytes: 16 + the number of unused bytes in the last word (16..23). */
    public static final int BYTES = 16;
    /**
     * Compiled method: slot 0 is a SmallInteger method header whose low 16 bits count the
     * literals; slots 1..n are literals (references); the bytecodes follow as bytes.
     * 24 + the number of unused bytes in the last word (24..31).
     */
    public static final int COMPILED_METHOD = 24;

    public static final long LITERAL_COUNT_MASK = 0xFFFF;

    public static boolean isPointers(int format) { return format >= FIXED_POINTERS && format <= FIXED_AND_INDEXABLE_POINTERS; }
    public static boolean isBytes(int format) { return format >= BYTES && format < BYTES + 8; }
    public static boolean isCompiledMethod(int format) { return format >= COMPILED_METHOD; }
    public static boolean isWords(int format) { return format == WORDS; }
    public static boolean isValid(int format) {
        return isPointers(format) || isWords(format) || isBytes(format) || isCompiledMethod(format);
    }
    /** Unused bytes in the last word of a byte-carrying object. */
    public static int unusedBytes(int format) { return format & 7; }
}
