package dev.lemming.memory.gc;

import dev.lemming.memory.HeapException;

/** The heap verifier (or a collector's own check) found the heap inconsistent. */
public class HeapCorruptionException extends HeapException {
    public HeapCorruptionException(String message) { super(message); }
}
