package dev.lemming.ffi;

import dev.lemming.ffi.call.ExternalFunctions;
import dev.lemming.ffi.callback.ExternalCallbacks;
import dev.lemming.ffi.memory.ExternalAddresses;
import dev.lemming.interpreter.exec.PrimitiveProvider;
import dev.lemming.interpreter.exec.PrimitiveSet;

/** The FFI's primitives, found by the interpreter through {@link java.util.ServiceLoader}. */
public final class FfiPrimitives implements PrimitiveProvider {
    @Override
    public void install(PrimitiveSet p) {
        ExternalFunctions.install(p);
        ExternalCallbacks.install(p);
        ExternalAddresses.install(p);
    }
}
