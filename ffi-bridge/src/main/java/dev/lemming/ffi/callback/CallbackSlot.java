package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiRuntime;

import java.lang.foreign.MemorySegment;

/**
 * A C function pointer made by FFM's {@code Linker.upcallStub} and the callback it currently runs.
 * Making one generates code that is never unloaded, so a freed callback's slot is reused for a
 * later callback of the same signature, but only after a quarantine of {@link #QUARANTINE}
 * further frees of that signature: native code that calls a pointer soon after its free still
 * finds the slot empty (it answers zero and the error is reported) instead of running somebody
 * else's block.
 */
public final class CallbackSlot {
    static final int QUARANTINE = 256;

    final FfiRuntime runtime;
    final String signature;
    /** What C calls: the address native code receives for the callback (the machine-code entry when there is one). */
    MemorySegment functionPointer = MemorySegment.NULL;
    /** The tier's machine-code entry (see NativeCallbacks), which falls back to the FFM upcall (Linker.upcallStub); 0 if none. */
    long entry;
    /** Its number in the runtime: machine code's entries name their slot so when they go on in Java. */
    final int id;
    /** The callback it runs, or null while freed. */
    Callback current;
    /** What the freed callback was, for the error a late call reports. */
    String freedDescription = "a callback";

    CallbackSlot(FfiRuntime runtime, String signature) {
        this.runtime = runtime;
        this.signature = signature;
        this.id = runtime.addSlot(this);
    }
}
