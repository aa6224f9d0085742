package dev.lemming.memory.gc;

public enum GcKind {
    /** Copy the survivors of new space (young collection). */
    SCAVENGE,
    /** Tenure all of new space, then mark and compact old space. */
    FULL
}
