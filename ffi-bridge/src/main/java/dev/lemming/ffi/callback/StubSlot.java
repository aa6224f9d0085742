package dev.lemming.ffi.callback;

import dev.lemming.ffi.types.CType;

import java.lang.foreign.MemorySegment;

/**
 * An FFM upcall stub and the callback it currently runs. Stubs are costly (generated code that
 * is never unloaded), so a freed callback's stub is reused for a later callback of the same
 * signature, but only after a quarantine of {@link #QUARANTINE} further frees of that signature:
 * native code that calls a pointer soon after its free still finds the slot empty (it answers
 * zero and the error is reported) instead of running somebody else's block.
 */
final class StubSlot {
    static final int QUARANTINE = 256;

    final dev.lemming.ffi.FfiRuntime runtime;
    final String signature;
    final CType returns;
    MemorySegment stub = MemorySegment.NULL;
    /** The callback it runs, or null while freed. */
    Callback current;
    /** What the freed callback was, for the error a late call reports. */
    String freedDescription = "a callback";

    StubSlot(dev.lemming.ffi.FfiRuntime runtime, String signature, CType returns) {
        this.runtime = runtime;
        this.signature = signature;
        this.returns = returns;
    }
}
