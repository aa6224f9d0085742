package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.types.CType;

import java.lang.foreign.MemorySegment;

/**
 * A block behind a C function pointer. The block is a GC root (through {@link FfiRuntime}) until
 * the callback is freed. The upcall stub itself is never released: native code may still hold the
 * pointer after free, and a call through it must answer zero, not jump into unmapped memory.
 */
public final class Callback {
    final FfiRuntime runtime;
    final CType returns;
    final CType[] arguments;
    /** The block, or 0 once freed. Updated by the collectors. */
    public long block;
    MemorySegment stub = MemorySegment.NULL;
    final String description;

    Callback(FfiRuntime runtime, long block, CType returns, CType[] arguments, String description) {
        this.runtime = runtime;
        this.block = block;
        this.returns = returns;
        this.arguments = arguments;
        this.description = description;
    }

    boolean isFreed() { return block == 0; }
}
