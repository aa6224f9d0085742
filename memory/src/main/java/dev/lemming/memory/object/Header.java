package dev.lemming.memory.object;

/**
 * The 64-bit object header. Bit layout (least significant first):
 * <pre>
 *  0..21  class index (into the class table; immediates use their tag as class index)
 * 22..23  age (scavenges survived, for tenuring)
 * 24..28  format ({@link Format})
 * 29      remembered (an old object in the remembered set)
 * 30      pinned (never moves)
 * 31      marked (full GC)
 * 32..53  identity hash (0 = not yet assigned)
 * 54      forwarded (slot 0 holds the new address: scavenger and compactor alike)
 * 55      unused
 * 56..63  slot count; 255 means the real count is in the overflow word just before the header
 * </pre>
 * Machine code uses these same constants; change them here and nowhere else.
 */
public final class Header {
    private Header() {}

    public static final int CLASS_INDEX_BITS = 22;
    public static final long CLASS_INDEX_MASK = (1L << CLASS_INDEX_BITS) - 1;
    public static final int AGE_SHIFT = 22;
    public static final long AGE_MASK = 3;
    public static final int FORMAT_SHIFT = 24;
    public static final long FORMAT_MASK = 0x1F;
    public static final long REMEMBERED_BIT = 1L << 29;
    public static final long PINNED_BIT = 1L << 30;
    public static final long MARKED_BIT = 1L << 31;
    public static final int HASH_SHIFT = 32;
    public static final int HASH_BITS = 22;
    public static final long HASH_MASK = (1L << HASH_BITS) - 1;
    public static final long FORWARDED_BIT = 1L << 54;
    public static final int NUM_SLOTS_SHIFT = 56;
    public static final int OVERFLOW_SLOTS = 255;
    /** The overflow word carries 255 in its top byte too, so a heap walker can tell it from a header. */
    public static final long OVERFLOW_WORD_TAG = 255L << NUM_SLOTS_SHIFT;
    public static final long MAX_SLOTS = (1L << NUM_SLOTS_SHIFT) - 1;

    public static long make(int classIndex, int format, long numSlotsField) {
        return (classIndex & CLASS_INDEX_MASK) | ((long) format << FORMAT_SHIFT) | (numSlotsField << NUM_SLOTS_SHIFT);
    }

    public static int classIndex(long h) { return (int) (h & CLASS_INDEX_MASK); }
    public static int format(long h) { return (int) ((h >>> FORMAT_SHIFT) & FORMAT_MASK); }
    public static int age(long h) { return (int) ((h >>> AGE_SHIFT) & AGE_MASK); }
    public static long withAge(long h, int age) { return (h & ~(AGE_MASK << AGE_SHIFT)) | ((long) Math.min(age, 3) << AGE_SHIFT); }
    public static int numSlotsField(long h) { return (int) (h >>> NUM_SLOTS_SHIFT); }
    public static int hash(long h) { return (int) ((h >>> HASH_SHIFT) & HASH_MASK); }
    public static long withHash(long h, int hash) { return (h & ~(HASH_MASK << HASH_SHIFT)) | ((hash & HASH_MASK) << HASH_SHIFT); }
    public static long withClassIndex(long h, int classIndex) { return (h & ~CLASS_INDEX_MASK) | (classIndex & CLASS_INDEX_MASK); }
    public static boolean isRemembered(long h) { return (h & REMEMBERED_BIT) != 0; }
    public static boolean isPinned(long h) { return (h & PINNED_BIT) != 0; }
    public static boolean isMarked(long h) { return (h & MARKED_BIT) != 0; }
    public static boolean isForwarded(long h) { return (h & FORWARDED_BIT) != 0; }
}
