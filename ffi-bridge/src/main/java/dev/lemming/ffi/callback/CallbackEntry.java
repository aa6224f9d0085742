package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiError;
import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.call.NativeCall;
import dev.lemming.ffi.types.CType;
import dev.lemming.interpreter.exec.Interpreter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Where native code enters Smalltalk: every callback's function pointer leads here. Nothing may leave this method
 * by an exception (the JVM would exit): a callback that unwinds, fails or cannot run answers the
 * zero of its return type, and what happened is parked on the native call in progress, to be
 * resumed when that call returns.
 */
public final class CallbackEntry {
    private CallbackEntry() {}

    static final MethodHandle ENTER;
    static {
        try {
            ENTER = MethodHandles.lookup().findStatic(CallbackEntry.class, "enter", MethodType.methodType(Object.class, CallbackSlot.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Object enter(CallbackSlot slot, Object[] args) {
        Callback cb = slot.current;
        try {
            if (cb == null) return freed(slot);
            return run(cb, args);
        } catch (Throwable t) {
            // last line of defence: park it if we can, answer zero in any case
            try {
                NativeCall call = cb != null && Thread.currentThread() == cb.runtime.vmThread ? cb.runtime.current() : null;
                if (call != null) call.park(t);
            } catch (Throwable ignored) {
                // nothing may cross the upcall
            }
            return slot.returns.zero();
        }
    }

    /** A call through the pointer of a freed callback: zero, and an FFIError when the native call returns (or at the next FFI call). */
    private static Object freed(CallbackSlot slot) {
        FfiRuntime rt = slot.runtime;
        NativeCall call = Thread.currentThread() == rt.vmThread ? rt.current() : null;
        String what = slot.freedDescription + " was called" + (call == null ? "" : " by " + call.function) + " after it was freed; it answered 0";
        if (call != null) call.park(new FfiError(what));
        else rt.reportLate(what);
        return slot.returns.zero();
    }

    private static Object run(Callback cb, Object[] args) {
        FfiRuntime rt = cb.runtime;
        if (Thread.currentThread() != rt.vmThread) {
            rt.reportLate(cb.description + " was called on thread '" + Thread.currentThread().getName()
                    + "', not on the VM thread; it answered 0 without running");
            return cb.returns.zero();
        }
        NativeCall call = rt.current();
        if (call == null) { // only native code calls callbacks, so some native call must be in progress
            rt.reportLate(cb.description + " was called while no native call was in progress; it answered 0 without running");
            return cb.returns.zero();
        }
        if (call.isUnwinding()) return cb.returns.zero(); // an earlier callback of this call is unwinding past it
        Interpreter in = rt.in;
        try {
            // each argument is on the Smalltalk stack (a root) before the next one is made
            long result = in.valueBlockWith(cb.block, args.length, i -> cb.arguments[i].fromNative(in, args[i], rt.pointers));
            if (cb.returns == CType.VOID) return null;
            return cb.returns.toNative(in, result, null, rt.pointers, cb.description + ", its result");
        } catch (Throwable t) {
            call.park(t);
            return cb.returns.zero();
        }
    }
}
