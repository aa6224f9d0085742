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

    /**
     * The caller fp slot of a run loop's first frame holds minus the outer loop's fp (in words)
     * as a SmallInteger: zero or negative, where a normal caller slot is a positive tagged address.
     */
    public static long entryMarker(long outerFp) { return ((-(outerFp >> 3)) << 3) | 1; }
    public static boolean isEntry(long callerSlot) { return (callerSlot >> 3) <= 0; }
    /** The fp of the frame below: the caller, or for an entry frame the outer loop's current frame (0 if none). */
    public static long callerFp(long callerSlot) { return isEntry(callerSlot) ? -(callerSlot >> 3) << 3 : untagAddress(callerSlot); }

    /** An address as a SmallInteger (addresses are 8-byte aligned, so tagging is an or). */
    public static long tagAddress(long address) { return address | 1; }
    public static long untagAddress(long tagged) { return tagged & ~7L; }
}
