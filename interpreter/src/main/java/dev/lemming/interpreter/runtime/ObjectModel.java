package dev.lemming.interpreter.runtime;

import dev.lemming.memory.object.ClassIndex;

/**
 * Where the interpreter keeps things in heap objects: the slots of classes and closures, the
 * special-objects array entries it owns, and the class indices of the classes it needs to know.
 */
public final class ObjectModel {
    private ObjectModel() {}

    // A class object: these slots, then its class-side fields. A metaclass is a class object too.
    public static final int CLASS_SUPERCLASS = 0, CLASS_METHODS = 1, CLASS_NAME = 2, CLASS_FIELDS = 3,
            CLASS_SPEC = 4, CLASS_SLOTS = 5;

    // A block closure: its compiled block, the receiver of its home method, the environment it closes over.
    public static final int BLOCK_METHOD = 0, BLOCK_RECEIVER = 1, BLOCK_OUTER_ENV = 2, BLOCK_SLOTS = 3;

    // The special-objects array (slots 0 and 1 are the memory's: nil and the class table).
    public static final int SPECIAL_TRUE = 2, SPECIAL_FALSE = 3, SPECIAL_SYSTEM = 4, SPECIAL_SYMBOLS = 5,
            SPECIAL_GLOBALS = 6,
            /** A snapshot's saved stack and registers, while the image is written and until it resumes. */
            SPECIAL_RESUME = 7,
            /** `lemming image save`: the class to run, and the class path to keep loading from. */
            SPECIAL_MAIN = 8, SPECIAL_CLASS_PATH = 9,
            /** Methods' files and lines, while an image is written and until it is started (SourceMaps). */
            SPECIAL_SOURCE_MAP = 10;

    // Class indices. Integer and Double each have two: one for immediates, one for heap objects.
    public static final int SMALL_INTEGER = ClassIndex.SMALL_INTEGER, SMALL_FLOAT = ClassIndex.SMALL_FLOAT,
            NIL = ClassIndex.NIL, ARRAY = ClassIndex.ARRAY, BYTE_ARRAY = ClassIndex.BYTE_ARRAY;
    public static final int OBJECT = 8, CLASS = 9, METACLASS = 10, STRING = 11, SYMBOL = 12, METHOD = 13,
            PRIMITIVE = 14, BLOCK = 15, BLOCK1 = 16, BLOCK2 = 17, BLOCK3 = 18, TRUE = 19, FALSE = 20,
            SYSTEM = 21, LARGE_INTEGER = 22, BOXED_DOUBLE = 23, BOOLEAN = 24, ENVIRONMENT = 25,
            FIRST_LOADED = 26;

    /** Instance spec kept in CLASS_SPEC: format | fixed field count << 8. */
    /** The class of a closure whose block takes {@code numArgs} arguments (Block1-3, or Block beyond). */
    public static int blockClassFor(int numArgs) {
        return switch (numArgs) { case 0 -> BLOCK1; case 1 -> BLOCK2; case 2 -> BLOCK3; default -> BLOCK; };
    }

    public static long spec(int format, int fixedFields) { return format | (long) fixedFields << 8; }
    public static int specFormat(long spec) { return (int) (spec & 0xFF); }
    public static int specFixedFields(long spec) { return (int) (spec >>> 8); }
}
