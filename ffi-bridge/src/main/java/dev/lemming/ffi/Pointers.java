package dev.lemming.ffi;

import dev.lemming.ffi.callback.ExternalCallbacks;
import dev.lemming.ffi.types.CType;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

/**
 * What a Smalltalk value means as a C pointer: nil is NULL, an ExternalAddress its address, an
 * ExternalCallback its C function pointer, a pinned byte object (ByteArray, String) its first byte.
 */
public final class Pointers implements CType.Pointers {
    private final FfiRuntime rt;

    Pointers(FfiRuntime rt) { this.rt = rt; }

    /** Heap objects that may be passed as #pointer: they are pinned for the call. */
    public static boolean isPassableObject(Interpreter in, long v) {
        return Tags.isPointer(v) && v != in.u.nil && Format.isBytes(Header.format(Layout.header(v)));
    }

    @Override
    public long addressOf(Interpreter in, long v, String where) {
        if (v == in.u.nil) return 0;
        if (rt.isInstanceOf(v, rt.symExternalAddress)) return Math.max(0, FfiRuntime.integerField(in, v, FfiRuntime.ADDRESS));
        if (rt.isInstanceOf(v, rt.symExternalCallback)) return ExternalCallbacks.functionPointer(rt, v, where);
        if (isPassableObject(in, v)) {
            if (!in.heap.isPinned(v)) throw new FfiError(where + ": " + in.describeValue(v) + " is not pinned (pin it with ExternalAddress pin:)");
            return Layout.firstByteAddress(v);
        }
        throw new FfiError(where + ": expected an ExternalAddress, an ExternalCallback, a ByteArray, a String or nil for #pointer, not " + in.describeValue(v));
    }

    @Override
    public long newAddress(Interpreter in, long address) { return rt.newAddress(address, -1); }
}
