package dev.lemming.memory.object;

/**
 * Tagged references. The low three bits tell what a word is, as in Spur's 64-bit format:
 * 000 an object pointer (8-byte aligned), 001 SmallInteger (61-bit two's complement),
 * 010 Character (Unicode code point), 100 SmallFloat64 (a double whose exponent fits 8 bits).
 * The tag value is also the class index of the immediate's class.
 */
public final class Tags {
    private Tags() {}

    public static final long TAG_MASK = 7;
    public static final long POINTER_TAG = 0;
    public static final long SMALL_INTEGER_TAG = 1;
    public static final long CHARACTER_TAG = 2;
    public static final long SMALL_FLOAT_TAG = 4;
    public static final int SHIFT = 3;

    public static final long MIN_SMALL_INTEGER = -(1L << 60);
    public static final long MAX_SMALL_INTEGER = (1L << 60) - 1;

    public static boolean isPointer(long w) { return (w & TAG_MASK) == 0; }
    public static boolean isImmediate(long w) { return (w & TAG_MASK) != 0; }
    public static boolean isSmallInteger(long w) { return (w & TAG_MASK) == SMALL_INTEGER_TAG; }
    public static boolean isCharacter(long w) { return (w & TAG_MASK) == CHARACTER_TAG; }
    public static boolean isSmallFloat(long w) { return (w & TAG_MASK) == SMALL_FLOAT_TAG; }

    public static boolean fitsSmallInteger(long v) { return v >= MIN_SMALL_INTEGER && v <= MAX_SMALL_INTEGER; }
    public static long smallInteger(long v) {
        assert fitsSmallInteger(v) : v;
        return (v << SHIFT) | SMALL_INTEGER_TAG;
    }
    public static long smallIntegerValue(long w) { return w >> SHIFT; }

    public static long character(int codePoint) { return ((long) codePoint << SHIFT) | CHARACTER_TAG; }
    public static int characterValue(long w) { return (int) (w >>> SHIFT); }

    // SmallFloat64 as in Spur: rotate the sign into bit 0, rebase the 11-bit exponent to 8 bits.
    private static final long EXPONENT_OFFSET = 896L << 53;

    /** True if {@code d} can be an immediate (zero, or exponent within 2^-126 .. 2^128; not inf/NaN). */
    public static boolean fitsSmallFloat(double d) {
        long rot = Long.rotateLeft(Double.doubleToRawLongBits(d), 1);
        if ((rot & ~1L) == 0) return true; // +0.0 and -0.0
        long exp = (rot >>> 53) - 896;
        return exp > 0 && exp < 256;
    }
    public static long smallFloat(double d) {
        long rot = Long.rotateLeft(Double.doubleToRawLongBits(d), 1);
        if ((rot & ~1L) != 0) rot -= EXPONENT_OFFSET; // unsigned: exponents >= 1024 make rot negative
        return (rot << SHIFT) | SMALL_FLOAT_TAG;
    }
    public static double smallFloatValue(long w) {
        long rot = w >>> SHIFT;
        if (rot > 1) rot += EXPONENT_OFFSET;
        return Double.longBitsToDouble(Long.rotateRight(rot, 1));
    }
}
