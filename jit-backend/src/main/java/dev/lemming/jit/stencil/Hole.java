package dev.lemming.jit.stencil;

/** A place in a stencil's bytes that compiling a method fills in. */
public record Hole(String name, Kind kind, int offset) {
    public enum Kind {
        /** a 32-bit immediate or displacement, written as is */
        ABS32,
        /** a 64-bit immediate (movabs) */
        ABS64,
        /** the rel32 of a jmp/jcc: the target's address minus the address after the hole */
        REL32
    }
}
