package dev.lemming.interpreter.exec;

/**
 * Unwinding to a frame: a non-local return, an exception's return: or retry. Thrown where it
 * starts; every run loop catches it, unwinds its own frames, and throws it on when the target
 * lies below its first frame (in an outer loop).
 */
final class Unwind extends RuntimeException {
    final long targetFp, value;
    /** Restart the target frame (Exception>>retry) instead of returning from it. */
    final boolean restart;

    Unwind(long targetFp, long value, boolean restart) {
        super(null, null, false, false);
        this.targetFp = targetFp;
        this.value = value;
        this.restart = restart;
    }
}
