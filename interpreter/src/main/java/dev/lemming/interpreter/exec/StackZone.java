package dev.lemming.interpreter.exec;

import dev.lemming.memory.space.Mapping;

/** Off-heap memory for frames: one mapping, touched only as deep as the program recurses. */
public final class StackZone {
    public final Mapping mapping;
    public final long base, limit;

    public StackZone(long bytes) {
        mapping = Mapping.anonymous(bytes);
        base = mapping.start;
        limit = mapping.end() - 64 * 1024; // headroom for the frame being built
    }

    public void close() { mapping.unmap(); }
}
