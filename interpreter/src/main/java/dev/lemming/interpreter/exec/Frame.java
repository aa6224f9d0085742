package dev.lemming.interpreter.exec;

/**
 * The frame layout in the stack zone, in words from the frame pointer fp. Every slot holds a
 * tagged reference (the GC scans them all): addresses and indices are stored as SmallIntegers.
 * <pre>
 *   fp - (nargs+1)  receiver (for a block: the closure's receiver)
 *   fp - nargs + i  argument i
 *   fp + 0          compiled method (or block)
 *   fp + 1          caller's fp, tagged (ENTRY for the first frame of a run loop)
 *   fp + 2          caller's bytecode index, SmallInteger
 *   fp + 3          current environment (own, or the closure's outer one), or nil
 *   fp + 4          the closure, for a block frame; nil otherwise
 *   fp + 5          method mirror id, SmallInteger (a cache index, rewritten after image load)
 *   fp + 6 ...      frame temps, then the operand stack
 * </pre>
 */
public final class Frame {
    private Frame() {}

    public static final int METHOD = 0, CALLER_FP = 1, CALLER_IP = 2, ENV = 3, CLOSURE = 4, MIRROR = 5, HEADER = 6;

    /** The caller fp slot of a run loop's first frame: SmallInteger 0. */
    public static final long ENTRY = 1;

    /** An address as a SmallInteger (addresses are 8-byte aligned, so tagging is an or). */
    public static long tagAddress(long address) { return address | 1; }
    public static long untagAddress(long tagged) { return tagged & ~7L; }
}
