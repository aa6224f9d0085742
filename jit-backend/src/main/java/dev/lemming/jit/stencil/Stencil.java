package dev.lemming.jit.stencil;

import java.util.List;

/** One bytecode's or runtime routine's machine code, with the holes compiling a method fills. */
public record Stencil(String name, byte[] code, List<Hole> holes) {
    public int size() { return code.length; }

    public Hole hole(String holeName) {
        for (Hole h : holes) if (h.name().equals(holeName)) return h;
        return null;
    }

    public boolean hasHole(String holeName) { return hole(holeName) != null; }
}
