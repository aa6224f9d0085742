package dev.lemming.interpreter.exec;

/**
 * A non-local return whose home frame lies below a nested run loop: the nested loop ends by
 * throwing this, and the loop that owns the home frame continues the unwinding.
 */
final class Unwind extends RuntimeException {
    final long targetFp, value;

    Unwind(long targetFp, long value) {
        super(null, null, false, false);
        this.targetFp = targetFp;
        this.value = value;
    }
}
