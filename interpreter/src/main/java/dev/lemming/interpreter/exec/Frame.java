package dev.lemming.interpreter.exec;

/**
 * The frame layout in the stack zone, in words from the frame pointer fp. Every slot holds a
 * tagged reference (the GC scans them all): frame links and indices are stored as SmallIntegers.
 * <pre>
 *   fp - (nargs+1)  receiver (for a block: the closure's receiver)
 *   fp - nargs + i  argument i
 *   fp + 0          compiled method (or block)
 *   fp + 1          caller's frame ref (see {@link #ref}); for a run loop's first frame, {@link #entryMarker}
 *   fp + 2          caller's bytecode index, SmallInteger
 *   fp + 3          current environment (own, or the closure's outer one), or nil
 *   fp + 4          the closure, for a block frame; nil otherwise
 *   fp + 5          method mirror id, SmallInteger (a cache index, rewritten after an image resumes)
 *   fp + 6 ...      frame temps, then the operand stack
 * </pre>
 */
public final class Frame {
    private Frame() {}

    public static final int METHOD = 0, CALLER_FP = 1, CALLER_IP = 2, ENV = 3, CLOSURE = 4, MIRROR = 5, HEADER = 6;

    /**
     * A frame as stored in a slot (caller links, home markers of environments, exception frame
     * markers): its offset from the stack zone's base as a SmallInteger. Offsets rather than
     * addresses, so a stack saved in an image is valid wherever the zone is mapped when it resumes.
     */
    public static long ref(long frame, long base) { return (frame - base) | 1; }
    public static long at(long ref, long base) { return base + (ref & ~7L); }

    /**
     * The caller slot of a run loop's first frame holds minus the outer loop's frame offset (0
     * when there is none): zero or negative, where a normal caller ref is positive.
     */
    public static long entryMarker(long outerFp, long base) { return outerFp == 0 ? 1 : ((-(outerFp - base)) | 1); }
    public static boolean isEntry(long callerSlot) { return (callerSlot >> 3) <= 0; }

    /** The frame below: the caller, or for an entry frame the outer loop's current frame (0 if none). */
    public static long callerFp(long callerSlot, long base) {
        if (!isEntry(callerSlot)) return at(callerSlot, base);
        long off = -(callerSlot >> 3) << 3;
        return off == 0 ? 0 : base + off;
    }
}
