package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.types.CType;

import java.util.function.IntToLongFunction;

/**
 * A block behind a C function pointer: the block is a GC root (through {@link FfiRuntime}) until
 * the callback is freed. C calls it through its {@link CallbackSlot}'s function pointer. As an
 * IntToLongFunction it makes the block's arguments from the words of the call being entered.
 */
public final class Callback implements IntToLongFunction {
    final FfiRuntime runtime;
    final CType returns;
    final CType[] arguments;
    /** The block, or 0 once freed. Updated by the collectors. */
    public long block;
    final String description, resultDescription;
    CallbackSlot slot;
    /** The arguments of the call being entered, as words (see CallbackEntry). */
    final long[] words = new long[CallbackEntry.MAX_ARGUMENTS];

    Callback(FfiRuntime runtime, long block, CType returns, CType[] arguments, String description) {
        this.runtime = runtime;
        this.block = block;
        this.returns = returns;
        this.arguments = arguments;
        this.description = description;
        this.resultDescription = description + ", its result";
    }

    boolean isFreed() { return block == 0; }

    /** The machine-code entry of its slot, or 0. */
    public long slotEntry() { return slot == null ? 0 : slot.entry; }

    @Override
    public long applyAsLong(int i) { return arguments[i].fromWord(runtime.in, words[i], runtime.pointers); }
}
