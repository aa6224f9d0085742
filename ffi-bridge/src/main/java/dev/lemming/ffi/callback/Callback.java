package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.types.CType;

/**
 * A block behind a C function pointer: the block is a GC root (through {@link FfiRuntime}) until
 * the callback is freed. C calls it through its {@link CallbackSlot}'s function pointer.
 */
public final class Callback {
    final FfiRuntime runtime;
    final CType returns;
    final CType[] arguments;
    /** The block, or 0 once freed. Updated by the collectors. */
    public long block;
    final String description;
    CallbackSlot slot;

    Callback(FfiRuntime runtime, long block, CType returns, CType[] arguments, String description) {
        this.runtime = runtime;
        this.block = block;
        this.returns = returns;
        this.arguments = arguments;
        this.description = description;
    }

    boolean isFreed() { return block == 0; }
}
