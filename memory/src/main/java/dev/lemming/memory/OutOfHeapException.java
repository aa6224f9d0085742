package dev.lemming.memory;

/** The heap cannot grow past its configured maximum: a clear error instead of a crash. */
public final class OutOfHeapException extends HeapException {
    public OutOfHeapException(String message) { super(message); }
}
