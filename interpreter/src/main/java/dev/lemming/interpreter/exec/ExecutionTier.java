package dev.lemming.interpreter.exec;

/**
 * A tier that runs methods as machine code (the JIT, in jit-backend). The interpreter stays in
 * charge: it asks the tier to compile a method once the method has been invoked often enough,
 * and whenever the current frame's method has machine code it runs it from the current bytecode
 * until the machine code exits. An exit leaves every value in the frame and answers the bytecode
 * the interpreter executes next (a send, a return, a slow path); after that bytecode the
 * interpreter enters the machine code again, so a method can be continued by either tier at any
 * bytecode boundary.
 */
public interface ExecutionTier {
    /** Compiles {@code m} (sets {@link MethodMirror#entries}) or leaves it to the interpreter. */
    void compile(MethodMirror m);

    /**
     * Runs machine code at {@code entry} in frame {@code fp} with the top of stack at {@code sp};
     * answers the bytecode index where the interpreter goes on; {@link #sp()} is the new sp.
     * {@link #FIRST_FRAME_RETURNED}: the run loop's first frame returned, its result on top of the stack.
     */
    int run(long fp, long sp, long entry);

    int FIRST_FRAME_RETURNED = -1;

    long sp();

    /** The frame machine code left in (a return in machine code changes it). */
    long fp();

    /**
     * The interpreter performs a send of compiled method {@code sender} at bytecode {@code site}
     * for receivers of class {@code classIndex}, which found {@code target}: the tier may link
     * its machine code's inline cache there. {@code receiver} is this send's receiver (for
     * Class>>new, the class whose instances the cache entry makes).
     */
    void linkSend(MethodMirror sender, int site, int classIndex, MethodMirror target, long receiver);

    /** Every method back to the interpreter: its machine code compiled something the program has since changed (isNil redefined). */
    void discardAll();

    /** Makes machine code leave at its next back jump (the interpreter then checks why). */
    void interrupt(boolean requested);

    /** Callbacks native code enters into machine code, or null when this tier has none. */
    default NativeCallbacks nativeCallbacks() { return null; }

    /** The statistics `--jit-stats` prints. */
    String stats();

    void close();
}
