package dev.lemming.ffi.call;

import dev.lemming.ffi.FfiError;
import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.Pointers;
import dev.lemming.ffi.types.CType;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.memory.object.Tags;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * ExternalLibrary and ExternalFunction: looking up C functions and calling them, with the
 * arguments marshalled and range-checked, heap objects passed as #pointer pinned for the call,
 * and unwindings parked by callbacks resumed when the call returns.
 */
public final class ExternalFunctions {
    private ExternalFunctions() {}

    // fields of ExternalLibrary and ExternalFunction (see their .som files)
    static final int LIBRARY_NAME = 0;
    static final int FN_LIBRARY = 0, FN_NAME = 1, FN_RETURNS = 2, FN_ARGUMENTS = 3, FN_FIXED = 4, FN_HANDLE = 5;

    public static void install(PrimitiveSet p) {
        p.define("ExternalLibrary", "primOpen:", (in, n) -> {
            long lib = in.stackValue(1), name = in.stackValue(0);
            if (name != in.u.nil && !in.u.isString(name)) throw new FfiError("ExternalLibrary open: needs a String, not " + in.describeValue(name));
            symbols(in, name == in.u.nil ? null : in.u.stringValue(name)); // fails now if there is no such library
            in.heap.store(lib, LIBRARY_NAME, name);
            return lib;
        });
        p.define("ExternalFunction", "primLibrary:name:returns:arguments:fixed:", (in, n) -> {
            long fn = in.stackValue(5);
            for (int i = 0; i < 5; i++) in.heap.store(fn, FN_LIBRARY + i, in.stackValue(4 - i));
            FfiRuntime rt = FfiRuntime.of(in);
            if (!rt.isInstanceOf(in.heap.fetch(fn, FN_LIBRARY), rt.symExternalLibrary)) throw new FfiError("lookup: needs an ExternalLibrary");
            resolve(rt, fn); // every error (names, types, a missing symbol) now, not at the first call
            return fn;
        });
        p.define("ExternalFunction", "call", (in, n) -> call(in, n, false));
        p.define("ExternalFunction", "callWith:", (in, n) -> call(in, n, false));
        p.define("ExternalFunction", "callWith:with:", (in, n) -> call(in, n, false));
        p.define("ExternalFunction", "callWith:with:with:", (in, n) -> call(in, n, false));
        p.define("ExternalFunction", "callWith:with:with:with:", (in, n) -> call(in, n, false));
        p.define("ExternalFunction", "callWithArguments:", (in, n) -> call(in, n, true));
    }

    /** The symbols of a library (null: the default one, the process with libc and libm). */
    static SymbolLookup symbols(Interpreter in, String library) {
        if (library == null) return Linker.nativeLinker().defaultLookup();
        try {
            return SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new FfiError("cannot open the library '" + library + "'" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The Downcall of a (non-variadic, or the fixed part of a variadic) ExternalFunction; looked up again in a new session. */
    static Downcall resolve(FfiRuntime rt, long fn) {
        Interpreter in = rt.in;
        int index = rt.indexOf(in.heap.fetch(fn, FN_HANDLE));
        if (index >= 0) return rt.downcall(index);
        String name = string(in, in.heap.fetch(fn, FN_NAME), "the function name");
        long libName = in.heap.fetch(in.heap.fetch(fn, FN_LIBRARY), LIBRARY_NAME);
        String library = libName == in.u.nil ? null : in.u.stringValue(libName);
        CType returns = CType.of(in, in.heap.fetch(fn, FN_RETURNS), name, "the return type");
        long argTypes = in.heap.fetch(fn, FN_ARGUMENTS);
        if (in.heap.classIndexOf(argTypes) != ObjectModel.ARRAY) throw new FfiError(name + ": the argument types must be an Array of symbols, not " + in.describeValue(argTypes));
        CType[] args = new CType[(int) in.heap.numSlots(argTypes)];
        for (int i = 0; i < args.length; i++) {
            args[i] = CType.of(in, in.heap.fetch(argTypes, i), name, "argument " + (i + 1));
            if (args[i] == CType.VOID) throw new FfiError(name + ": argument " + (i + 1) + " cannot be #void");
        }
        long fixedValue = in.heap.fetch(fn, FN_FIXED);
        int fixed = -1;
        if (fixedValue != in.u.nil) {
            if (!Tags.isSmallInteger(fixedValue) || Tags.smallIntegerValue(fixedValue) != args.length)
                throw new FfiError(name + ": fixed: must be the number of argument types given (" + args.length + "), not " + in.describeValue(fixedValue));
            fixed = args.length;
        }
        String key = key(library, name, returns, args, fixed);
        Integer known = rt.downcallIndex(key);
        if (known == null) {
            Optional<MemorySegment> symbol = symbols(in, library).find(name);
            if (symbol.isEmpty()) throw new FfiError("no function '" + name + "' in " + (library == null ? "the default library" : "'" + library + "'"));
            known = rt.addDowncall(key, new Downcall(name, symbol.get(), returns, args, fixed));
        }
        in.heap.store(fn, FN_HANDLE, rt.handleFor(known));
        return rt.downcall(known);
    }

    /** A variadic function's Downcall for the types of the values passed after the fixed ones. */
    private static Downcall variant(FfiRuntime rt, Downcall base, long fn, CType[] all) {
        long libName = rt.in.heap.fetch(rt.in.heap.fetch(fn, FN_LIBRARY), LIBRARY_NAME);
        String library = libName == rt.in.u.nil ? null : rt.in.u.stringValue(libName);
        String key = key(library, base.name, base.returns, all, base.fixed);
        Integer known = rt.downcallIndex(key);
        if (known == null) {
            MemorySegment symbol = symbols(rt.in, library).find(base.name).orElseThrow(() -> new FfiError("no function '" + base.name + "'"));
            known = rt.addDowncall(key, new Downcall(base.name, symbol, base.returns, all, base.fixed));
        }
        return rt.downcall(known);
    }

    private static String key(String library, String name, CType returns, CType[] args, int fixed) {
        StringBuilder b = new StringBuilder().append(library).append('/').append(name).append('/').append(returns.symbol).append('/').append(fixed);
        for (CType t : args) b.append(',').append(t.symbol);
        return b.toString();
    }

    private static String string(Interpreter in, long v, String what) {
        if (!in.u.isString(v)) throw new FfiError(what + " must be a String, not " + in.describeValue(v));
        return in.u.stringValue(v);
    }

    // ---------------------------------------------------------------- calling

    /** Argument {@code i}, read afresh from the stack (a collection may have moved it). */
    private static long argument(Interpreter in, int nargs, boolean fromArray, int i) {
        return fromArray ? in.heap.fetch(in.stackValue(0), i) : in.stackValue(nargs - 1 - i);
    }

    private static long call(Interpreter in, int nargs, boolean fromArray) {
        FfiRuntime rt = FfiRuntime.of(in);
        rt.check();
        long fn = in.stackValue(nargs);
        Downcall d = resolve(rt, fn);
        if (fromArray && in.heap.classIndexOf(in.stackValue(0)) != ObjectModel.ARRAY)
            throw new FfiError(d.name + ": callWithArguments: needs an Array, not " + in.describeValue(in.stackValue(0)));
        int count = fromArray ? (int) in.heap.numSlots(in.stackValue(0)) : nargs;
        if (d.fixed < 0 && count != d.arguments.length)
            throw new FfiError(d.name + " takes " + d.arguments.length + " argument(s), not " + count);
        if (d.fixed >= 0) {
            if (count < d.fixed) throw new FfiError(d.name + " takes at least " + d.fixed + " argument(s), not " + count);
            CType[] all = java.util.Arrays.copyOf(d.arguments, count);
            for (int i = d.fixed; i < count; i++) all[i] = variadicType(rt, argument(in, nargs, fromArray, i), d.name, i);
            d = variant(rt, d, fn, all);
        }

        // pin what native code will point into; each pin may collect, so values are read afresh
        long[] pinnedHere = d.pointers && !dev.lemming.memory.FaultInjection.unpinnedFfiArgument ? pinArguments(in, d, nargs, fromArray, count) : NONE;
        try (Arena arena = d.strings ? Arena.ofConfined() : null) {
            Object[] carriers = new Object[count];
            for (int i = 0; i < count; i++)
                carriers[i] = d.arguments[i].toNative(in, argument(in, nargs, fromArray, i), arena, rt.pointers, d.name + ", argument " + (i + 1));
            NativeCall call = new NativeCall(d.name);
            rt.enter(call);
            Object result;
            try {
                result = d.invoke(carriers);
            } finally {
                rt.leave(call);
            }
            call.resumeUnwinding();
            rt.check();
            // converted before the arena closes: a returned #string may point into an argument's copy
            return d.returns.fromNative(in, result, rt.pointers);
        } finally {
            for (long o : pinnedHere) {
                in.heap.unpin(o);
                // native code may have kept the pointer: watch where the object was if it moves
                if (in.heap.config.ffiCheck()) in.heap.ffiCanaries().watch(o, in.u.className(in.u.classOf(o)), d.name);
            }
        }
    }

    private static final long[] NONE = {};

    /** Pins the heap objects passed as #pointer that are not pinned yet; answers them (to unpin after the call). */
    private static long[] pinArguments(Interpreter in, Downcall d, int nargs, boolean fromArray, int count) {
        int[] toPin = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            long v = argument(in, nargs, fromArray, i);
            if (d.arguments[i] == CType.POINTER && Pointers.isPassableObject(in, v) && !in.heap.isPinned(v)) toPin[n++] = i;
        }
        for (int k = 0; k < n; k++) in.heap.pin(argument(in, nargs, fromArray, toPin[k]));
        long[] pinned = new long[n];
        for (int k = 0; k < n; k++) pinned[k] = argument(in, nargs, fromArray, toPin[k]);
        return pinned;
    }

    private static CType variadicType(FfiRuntime rt, long v, String fn, int i) {
        Interpreter in = rt.in;
        if (in.u.isInteger(v)) return CType.INT64;
        if (in.u.isDouble(v)) return CType.DOUBLE;
        if (in.u.isString(v)) return CType.STRING;
        if (v == in.u.nil || rt.isInstanceOf(v, rt.symExternalAddress) || rt.isInstanceOf(v, rt.symExternalCallback) || Pointers.isPassableObject(in, v)) return CType.POINTER;
        throw new FfiError(fn + ", argument " + (i + 1) + ": a variadic argument must be an Integer, a Double, a String or a pointer, not " + in.describeValue(v));
    }
}
