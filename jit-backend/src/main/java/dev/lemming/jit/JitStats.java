package dev.lemming.jit;

/** Counters printed by --jit-stats. */
public final class JitStats {
    public long methods, bytecodeBytes, machineCodeBytes, compileNanos, entries, evictions, links, megamorphicMisses;

    void compiled(int bytecodes, int machineCode, long nanos) {
        methods++;
        bytecodeBytes += bytecodes;
        machineCodeBytes += machineCode;
        compileNanos += nanos;
    }

    String report(long zoneUsed, long zoneCapacity, String stencils) {
        return String.format("""
                jit: %d methods compiled (%d bytes of bytecode -> %d bytes of x86-64, %.1f bytes per bytecode byte) in %.1f ms
                jit: code zone %d of %d KB used, %d eviction(s); stencils %s
                jit: %d entries into machine code from the interpreter; %d send sites (re)linked by the interpreter
                """, methods, bytecodeBytes, machineCodeBytes, bytecodeBytes == 0 ? 0.0 : (double) machineCodeBytes / bytecodeBytes,
                compileNanos / 1e6, zoneUsed >> 10, zoneCapacity >> 10, evictions, stencils, entries, links);
    }
}
