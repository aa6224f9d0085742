package dev.lemming.interpreter.exec;

/**
 * Callbacks that native code enters straight into machine code: a tier that has them gives each
 * callback slot a C entry that builds the block's frame and runs its machine code (no upcall
 * into Java) whenever it can, and otherwise jumps, arguments untouched, to the FFI's Java entry
 * for the slot (an FFM upcall). The FFI tells the tier what may run: the block a slot
 * runs, when a native call of the VM thread is in progress (callbacks build their frames above
 * its sp), when Java code runs during one (eden's allocation pointer changes hands), and when
 * that call is unwinding (its callbacks answer zero through Java).
 */
public interface NativeCallbacks {
    /** The most arguments an entry takes: those the C calling convention passes in registers. */
    int MAX_ARGUMENTS = 6;

    /** Argument conversion: the word is an address, which becomes an ExternalAddress. */
    int POINTER = 0x40;

    /**
     * Argument conversion: the low {@code bits} of the word, sign-extended or not, become a
     * SmallInteger (a code below 64 is the shift that drops the other bits; 0x80 says signed).
     */
    static int integer(int bits, boolean signed) { return (signed ? 0x80 : 0) | (64 - bits); }

    /**
     * A C entry for a slot whose arguments all are words converted as {@code conversions} says
     * (at most {@link #MAX_ARGUMENTS}), or 0 when this tier cannot make one. A result that is a
     * SmallInteger in [resultMin, resultMax] is answered by machine code when {@code integerResult},
     * ignored when {@code voidResult}; any other result, and any exit of the block's machine code,
     * goes to {@code resumeEntry}: {@code long resume(long slotId, long fp, long sp, long ip)}
     * (ip -1: the block returned, its result at sp).
     */
    long newEntry(int slotId, long javaEntry, long resumeEntry, int[] conversions, boolean voidResult, boolean integerResult,
                  long resultMin, long resultMax, int addressClassIndex, int addressFields);

    /** The entry runs {@code closure}, a block of {@code block}'s method. */
    void bind(long entry, long closure, MethodMirror block);

    /** The entry runs nothing: every call goes to Java. */
    void unbind(long entry);

    /** A collection moved the entry's closure. */
    void moved(long entry, long closure);

    /** How many calls of the entry ran in machine code. */
    long machineCodeRuns(long entry);

    /** A native call of the VM thread starts in frame {@code fp}, the top of stack at {@code sp}; calls nest. */
    void nativeCallStarted(long fp, long sp);

    /** The innermost native call returned. */
    void nativeCallEnded();

    /** The innermost native call is unwinding: its callbacks no longer run in machine code. */
    void unwinding();

    /** Java code starts to run during a native call (a callback through Java, a resume). */
    void javaEntered();

    /** Java code returns to native code during a native call. */
    void javaLeaving();
}
