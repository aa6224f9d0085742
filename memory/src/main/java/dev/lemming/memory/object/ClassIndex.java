package dev.lemming.memory.object;

/**
 * Class indices the object memory itself relies on. The interpreter installs the real class
 * objects at these indices of the class table and picks its own indices from
 * {@link #FIRST_UNRESERVED} on.
 */
public final class ClassIndex {
    private ClassIndex() {}

    /** Free space inside old segments (also what zeroed memory reads as). Never a user object. */
    public static final int FREE_CHUNK = 0;
    public static final int SMALL_INTEGER = (int) Tags.SMALL_INTEGER_TAG;   // 1
    public static final int CHARACTER = (int) Tags.CHARACTER_TAG;           // 2
    public static final int SMALL_FLOAT = (int) Tags.SMALL_FLOAT_TAG;       // 4
    /** nil's class; nil is the first object of old space. */
    public static final int NIL = 5;
    /** Array: the special-objects array and the class table are Arrays. */
    public static final int ARRAY = 6;
    public static final int BYTE_ARRAY = 7;
    public static final int FIRST_UNRESERVED = 8;

    public static boolean isImmediateClass(int index) {
        return index == SMALL_INTEGER || index == CHARACTER || index == SMALL_FLOAT;
    }
}
