package dev.lemming.memory;

/** A failure of the object memory that the user must be told about in plain words. */
public class HeapException extends RuntimeException {
    public HeapException(String message) { super(message); }
    public HeapException(String message, Throwable cause) { super(message, cause); }
}
