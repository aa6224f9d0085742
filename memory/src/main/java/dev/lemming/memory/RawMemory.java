package dev.lemming.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Loads and stores at absolute addresses. The whole address space as one segment, held in a
 * static final, is as fast as Unsafe (measured: ../shared/NATIVE-NOTES.md) and is the supported
 * way there. Stateless, so sharing it between VM instances is harmless.
 */
public final class RawMemory {
    private RawMemory() {}

    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    // Unaligned layouts: heap words are always 8-aligned anyway, and this skips the alignment check.
    public static long getLong(long address) { return ALL.get(LONG, address); }
    public static void putLong(long address, long value) { ALL.set(LONG, address, value); }
    public static int getInt(long address) { return ALL.get(ValueLayout.JAVA_INT_UNALIGNED, address); }
    public static void putInt(long address, int value) { ALL.set(ValueLayout.JAVA_INT_UNALIGNED, address, value); }
    public static long getLongUnaligned(long address) { return ALL.get(LONG, address); }
    public static byte getByte(long address) { return ALL.get(ValueLayout.JAVA_BYTE, address); }
    public static void putByte(long address, byte value) { ALL.set(ValueLayout.JAVA_BYTE, address, value); }
    public static double getDouble(long address) { return ALL.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, address); }
    public static void putDouble(long address, double value) { ALL.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, address, value); }

    /** memmove semantics: overlapping ranges are fine. */
    public static void copy(long from, long to, long bytes) {
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }
    /**
     * Do the {@code bytes} bytes at a and b match? Word by word, then byte by byte: a slice's
     * mismatch allocated two segments per call, which the JVM did not take away (12% of Json).
     */
    public static boolean equalBytes(long a, long b, long bytes) {
        long i = 0;
        for (; i + 8 <= bytes; i += 8) if (getLong(a + i) != getLong(b + i)) return false;
        for (; i < bytes; i++) if (getByte(a + i) != getByte(b + i)) return false;
        return true;
    }
    public static void fill(long address, long bytes, byte value) {
        ALL.asSlice(address, bytes).fill(value);
    }
    public static void fillLongs(long address, long words, long value) {
        if (words < Integer.MAX_VALUE) { // an int-counted loop, which the JVM's compiler unrolls (every allocation fills)
            int n = (int) words;
            for (int i = 0; i < n; i++) putLong(address + 8L * i, value);
        } else {
            for (long i = 0; i < words; i++) putLong(address + i * 8, value);
        }
    }
    public static MemorySegment slice(long address, long bytes) { return ALL.asSlice(address, bytes); }
}
