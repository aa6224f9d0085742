package dev.lemming.ffi;

import dev.lemming.interpreter.exec.PrimitiveFailure;

/**
 * Every FFI failure (no such library or symbol, a wrong type or count, a value out of range, a
 * freed callback): signalled in Smalltalk as FFIError, catchable with on:do:.
 */
public final class FfiError extends PrimitiveFailure {
    public FfiError(String message) { super("FFIError", message); }
}
