package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiError;
import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.call.NativeCall;
import dev.lemming.ffi.types.CType;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.NativeCallbacks;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * Where native code enters Smalltalk: every callback's function pointer leads to {@link #enter}.
 * Nothing may leave it by an exception (the JVM would exit): a callback that unwinds, fails or
 * cannot run answers the zero of its return type, and what happened is parked on the native call
 * in progress, to be resumed when that call returns.
 *
 * <p>Every argument and the result cross as a plain long (a "word"): pointers are declared to FFM
 * as 64-bit integers (the same registers in every ABI we run on), narrower integers are widened
 * and masked by their {@link CType}, floats and doubles travel as their raw bits. So a callback
 * allocates no carrier objects (no MemorySegment, no boxed Integer, no Object[]): at 20 million
 * qsort comparisons that was a fifth of the time.
 */
public final class CallbackEntry {
    private CallbackEntry() {}

    /** The most arguments a callback takes: {@link #enter}'s word parameters. */
    public static final int MAX_ARGUMENTS = 8;

    private static final MethodHandle ENTER, DOUBLE_BITS, FLOAT_BITS, BITS_DOUBLE, BITS_FLOAT;
    static {
        try {
            var l = MethodHandles.lookup();
            Class<?>[] words = new Class<?>[MAX_ARGUMENTS];
            Arrays.fill(words, long.class);
            ENTER = l.findStatic(CallbackEntry.class, "enter", MethodType.methodType(long.class, words).appendParameterTypes(CallbackSlot.class));
            DOUBLE_BITS = l.findStatic(Double.class, "doubleToRawLongBits", MethodType.methodType(long.class, double.class));
            FLOAT_BITS = l.findStatic(Float.class, "floatToRawIntBits", MethodType.methodType(int.class, float.class));
            BITS_DOUBLE = l.findStatic(Double.class, "longBitsToDouble", MethodType.methodType(double.class, long.class));
            BITS_FLOAT = l.findStatic(Float.class, "intBitsToFloat", MethodType.methodType(float.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The upcall's C signature: pointers as 64-bit integers. */
    static FunctionDescriptor descriptor(CType returns, CType[] arguments) {
        MemoryLayout[] layouts = Arrays.stream(arguments).map(CType::wordLayout).toArray(MemoryLayout[]::new);
        return returns == CType.VOID ? FunctionDescriptor.ofVoid(layouts) : FunctionDescriptor.of(returns.wordLayout(), layouts);
    }

    /** {@link #enter} bound to the slot, adapted to the upcall's signature (words in, a word or nothing out). */
    static MethodHandle target(CallbackSlot slot, CType returns, CType[] arguments) {
        // the unused words and the slot are bound in one step: one bound handle between the upcall and enter
        Object[] bound = new Object[MAX_ARGUMENTS - arguments.length + 1];
        Arrays.fill(bound, 0L);
        bound[bound.length - 1] = slot;
        MethodHandle h = MethodHandles.insertArguments(ENTER, arguments.length, bound);
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i] == CType.DOUBLE) h = MethodHandles.filterArguments(h, i, DOUBLE_BITS);
            else if (arguments[i] == CType.FLOAT) h = MethodHandles.filterArguments(h, i, FLOAT_BITS.asType(MethodType.methodType(long.class, float.class)));
        }
        if (returns == CType.DOUBLE) h = MethodHandles.filterReturnValue(h, BITS_DOUBLE);
        else if (returns == CType.FLOAT) h = MethodHandles.filterReturnValue(h, MethodHandles.explicitCastArguments(BITS_FLOAT, MethodType.methodType(float.class, long.class)));
        // the remaining conversions are casts: an int argument sign-extends into its word, a word
        // result truncates to the C type, a boolean is the word's low bit
        MethodType c = descriptor(returns, arguments).toMethodType();
        return MethodHandles.explicitCastArguments(h, returns == CType.VOID ? c.changeReturnType(long.class) : c)
                .asType(c); // void: the word is dropped
    }

    static long enter(long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7, CallbackSlot slot) {
        Callback cb = slot.current;
        try {
            if (cb == null) return freed(slot);
            if (!mayRun(cb)) return 0;
            NativeCallbacks nc = cb.runtime.nativeCallbacks();
            if (nc != null) nc.javaEntered();
            try {
                long[] w = cb.words;
                // ExternalCallbacks refuses more than MAX_ARGUMENTS, so the unused words are zeros
                w[0] = a0; w[1] = a1; w[2] = a2; w[3] = a3; w[4] = a4; w[5] = a5; w[6] = a6; w[7] = a7;
                return run(cb);
            } finally {
                if (nc != null) nc.javaLeaving();
            }
        } catch (Throwable t) {
            lastDefence(cb, t);
            return 0;
        }
    }

    /** Park it if we can; nothing may cross the upcall. */
    private static void lastDefence(Callback cb, Throwable t) {
        try {
            NativeCall call = cb != null && Thread.currentThread() == cb.runtime.vmThread ? cb.runtime.current() : null;
            if (call != null) cb.runtime.park(call, t);
        } catch (Throwable ignored) {
            // nothing may cross the upcall
        }
    }

    // ---------------------------------------------------------------- machine code's entries

    /**
     * The tier's machine-code entry for a new slot (see NativeCallbacks), or 0: without a JIT,
     * for more than 6 arguments, for floating-point arguments or results (other registers) and
     * for #bool and #string arguments (objects to make in Java).
     */
    static long machineCodeEntry(FfiRuntime rt, CallbackSlot slot, CType returns, CType[] arguments) {
        NativeCallbacks nc = rt.nativeCallbacks();
        if (nc == null || arguments.length > NativeCallbacks.MAX_ARGUMENTS) return 0;
        int[] conversions = new int[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            conversions[i] = switch (arguments[i]) {
                case POINTER -> NativeCallbacks.POINTER;
                case INT8 -> NativeCallbacks.integer(8, true);
                case UINT8 -> NativeCallbacks.integer(8, false);
                case INT16 -> NativeCallbacks.integer(16, true);
                case UINT16 -> NativeCallbacks.integer(16, false);
                case INT32 -> NativeCallbacks.integer(32, true);
                case UINT32 -> NativeCallbacks.integer(32, false);
                case INT64 -> NativeCallbacks.integer(64, true); // beyond SmallInteger: through Java
                case UINT64, SIZE_T -> NativeCallbacks.integer(64, false);
                default -> -1;
            };
            if (conversions[i] < 0) return 0;
        }
        if (returns == CType.FLOAT || returns == CType.DOUBLE) return 0;
        boolean integer = returns.isInteger();
        return nc.newEntry(slot.id, slot.functionPointer.address(), rt.resumeUpcall(), conversions, returns == CType.VOID, integer,
                integer ? Math.max(returns.min(), dev.lemming.memory.object.Tags.MIN_SMALL_INTEGER) : 0,
                integer ? Math.min(returns.max(), dev.lemming.memory.object.Tags.MAX_SMALL_INTEGER) : 0,
                rt.addressClassIndex(), rt.addressFields());
    }

    /** The FFM upcall (Linker.upcallStub) to {@link #resume}, one per runtime: machine code's entries go on in Java through it. */
    public static MemorySegment resumeUpcall(FfiRuntime rt) {
        try {
            MethodHandle h = MethodHandles.lookup().findStatic(CallbackEntry.class, "resume",
                    MethodType.methodType(long.class, FfiRuntime.class, long.class, long.class, long.class, long.class)).bindTo(rt);
            return java.lang.foreign.Linker.nativeLinker().upcallStub(h, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), java.lang.foreign.Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Machine code ran a callback's block from its entry and exited at bytecode {@code ip} of
     * frame {@code fp} (or the block returned a result it does not convert: ip -1, the result at
     * sp): the interpreter goes on until the block returns; its result as a word.
     */
    static long resume(FfiRuntime rt, long slotId, long fp, long sp, long ip) {
        Callback cb = null;
        NativeCallbacks nc = rt.nativeCallbacks();
        try {
            nc.javaEntered();
            try {
                cb = rt.slot((int) slotId).current;
                long result = rt.in.resumeMachineFrames(fp, sp, (int) ip);
                return cb.returns == CType.VOID ? 0 : cb.returns.toWord(rt.in, result, rt.pointers, cb.resultDescription);
            } catch (Throwable t) {
                rt.park(rt.current(), t);
                return 0;
            } finally {
                nc.javaLeaving();
            }
        } catch (Throwable t) {
            lastDefence(cb, t);
            return 0;
        }
    }

    /** A call through the pointer of a freed callback: zero, and an FFIError when the native call returns (or at the next FFI call). */
    private static long freed(CallbackSlot slot) {
        FfiRuntime rt = slot.runtime;
        NativeCall call = Thread.currentThread() == rt.vmThread ? rt.current() : null;
        String what = slot.freedDescription + " was called" + (call == null ? "" : " by " + call.function) + " after it was freed; it answered 0";
        if (call != null) rt.park(call, new FfiError(what));
        else rt.reportLate(what);
        return 0;
    }

    /** May the callback run Smalltalk code now? If not, it answers zero, and why is reported (unless an unwinding is already on its way). */
    private static boolean mayRun(Callback cb) {
        FfiRuntime rt = cb.runtime;
        if (Thread.currentThread() != rt.vmThread) {
            rt.reportLate(cb.description + " was called on thread '" + Thread.currentThread().getName()
                    + "', not on the VM thread; it answered 0 without running");
            return false;
        }
        NativeCall call = rt.current();
        if (call == null) { // only native code calls callbacks, so some native call must be in progress
            rt.reportLate(cb.description + " was called while no native call was in progress; it answered 0 without running");
            return false;
        }
        return !call.isUnwinding(); // an earlier callback of this call is unwinding past it
    }

    /** Runs the block on the arguments in {@code cb.words}; its result as a word. */
    private static long run(Callback cb) {
        FfiRuntime rt = cb.runtime;
        Interpreter in = rt.in;
        try {
            // each argument is on the Smalltalk stack (a root) before the next one is made; all
            // are made before any Smalltalk code runs, so a nested call of this callback cannot
            // overwrite cb.words while they are read
            long result = in.valueBlockWith(cb.block, cb.arguments.length, cb);
            return cb.returns == CType.VOID ? 0 : cb.returns.toWord(in, result, rt.pointers, cb.resultDescription);
        } catch (Throwable t) {
            rt.park(rt.current(), t);
            return 0;
        }
    }
}
