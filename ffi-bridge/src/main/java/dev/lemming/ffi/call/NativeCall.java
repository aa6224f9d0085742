package dev.lemming.ffi.call;

/**
 * A native call in progress on the VM thread. When a callback made during it unwinds (a
 * non-local return, an exception handled further out, system exit:, an error), the unwinding
 * cannot jump over the native frames: it is parked here, the callback and every later callback
 * of this call answer zero, and the unwinding resumes when the call returns.
 */
public final class NativeCall {
    public final String function;
    private Throwable pending;

    public NativeCall(String function) { this.function = function; }

    /** Native code, for {@link #during}. */
    public interface Body { void run() throws Throwable; }

    /**
     * Runs {@code body} as a native call named {@code function} in progress, the way tests call a
     * callback's function pointer as native code would (ExternalFunctions does the same around
     * its downcall); answers the call, holding what its callbacks parked.
     */
    public static NativeCall during(dev.lemming.ffi.FfiRuntime rt, String function, Body body) throws Throwable {
        NativeCall call = new NativeCall(function);
        rt.enter(call);
        try { body.run(); } finally { rt.leave(call); }
        return call;
    }

    public boolean isUnwinding() { return pending != null; }
    public void park(Throwable unwinding) { if (pending == null) pending = unwinding; }

    /** Resumes a parked unwinding (after the native call returned). */
    public void resumeUnwinding() {
        Throwable t = pending;
        if (t == null) return;
        pending = null;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof StackOverflowError) throw new dev.lemming.interpreter.exec.SmalltalkError("stack overflow in a callback of " + function);
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }
}
