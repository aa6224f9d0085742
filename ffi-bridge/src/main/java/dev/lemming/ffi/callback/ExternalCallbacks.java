package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiError;
import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.types.CType;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.runtime.ObjectModel;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** ExternalCallback: giving a block a C function pointer, and freeing it. */
public final class ExternalCallbacks {
    private ExternalCallbacks() {}

    // fields of ExternalCallback (see ExternalCallback.som)
    static final int BLOCK = 0, RETURNS = 1, ARGUMENTS = 2, HANDLE = 3, ADDRESS = 4;

    public static void install(PrimitiveSet p) {
        p.define("ExternalCallback", "primBlock:returns:arguments:", (in, n) -> create(in));
        p.define("ExternalCallback", "free", (in, n) -> {
            long self = in.stackValue(0);
            FfiRuntime rt = FfiRuntime.of(in);
            int id = rt.indexOf(in.heap.fetch(self, HANDLE));
            Callback cb = rt.callback(id);
            if (cb == null) throw new FfiError("this ExternalCallback was already freed (or made before the image was saved)");
            cb.block = 0; // no longer a root
            CallbackSlot slot = cb.slot;
            if (slot.entry != 0) rt.nativeCallbacks().unbind(slot.entry);
            slot.current = null; // the function pointer stays valid, answering zero, until reused after the quarantine
            slot.freedDescription = cb.description;
            rt.freedSlots(slot.signature).add(slot);
            rt.removeCallback(id);
            in.heap.store(self, HANDLE, in.u.nil);
            in.heap.store(self, BLOCK, in.u.nil);
            return self;
        });
    }

    private static long create(Interpreter in) {
        FfiRuntime rt = FfiRuntime.of(in);
        long self = in.stackValue(3), block = in.stackValue(2), ret = in.stackValue(1), args = in.stackValue(0);
        int ci = in.heap.classIndexOf(block);
        if (ci < ObjectModel.BLOCK || ci > ObjectModel.BLOCK3) throw new FfiError("ExternalCallback block: needs a block, not " + in.describeValue(block));
        CType returns = CType.of(in, ret, "callback", "the return type");
        if (returns == CType.STRING) throw new FfiError("a callback cannot return #string (nothing would own the copy); return a #pointer");
        if (in.heap.classIndexOf(args) != ObjectModel.ARRAY) throw new FfiError("the argument types of a callback must be an Array of symbols, not " + in.describeValue(args));
        CType[] types = new CType[(int) in.heap.numSlots(args)];
        for (int i = 0; i < types.length; i++) {
            types[i] = CType.of(in, in.heap.fetch(args, i), "callback", "argument " + (i + 1));
            if (types[i] == CType.VOID) throw new FfiError("argument " + (i + 1) + " of a callback cannot be #void");
        }
        int blockArgs = in.mirrorOf(in.heap.fetch(block, ObjectModel.BLOCK_METHOD)).numArgs;
        if (blockArgs != types.length) throw new FfiError("the block takes " + blockArgs + " argument(s) but the callback is declared with " + types.length);

        if (types.length > CallbackEntry.MAX_ARGUMENTS) throw new FfiError("a callback takes at most " + CallbackEntry.MAX_ARGUMENTS + " arguments, not " + types.length);

        String description = "a callback (" + returns.symbol + " <- " + String.join(" ", Arrays.stream(types).map(t -> t.symbol).toList()) + ")";
        Callback cb = new Callback(rt, block, returns, types, description);
        String signature = description;
        var freed = rt.freedSlots(signature);
        CallbackSlot slot;
        if (freed.size() > CallbackSlot.QUARANTINE) {
            slot = freed.poll();
        } else {
            slot = new CallbackSlot(rt, signature);
            // the global arena: the pointer must outlive every native frame that may still call it
            slot.functionPointer = Linker.nativeLinker().upcallStub(CallbackEntry.target(slot, returns, types),
                    CallbackEntry.descriptor(returns, types), Arena.global());
            slot.entry = CallbackEntry.machineCodeEntry(rt, slot, returns, types);
            if (slot.entry != 0) slot.functionPointer = MemorySegment.ofAddress(slot.entry);
        }
        // making the slot may have loaded a class (ExternalAddress, for machine code's entry), and so collected
        self = in.stackValue(3); block = in.stackValue(2); ret = in.stackValue(1); args = in.stackValue(0);
        cb.block = block;
        slot.current = cb;
        cb.slot = slot;
        if (slot.entry != 0) rt.nativeCallbacks().bind(slot.entry, block, in.mirrorOf(in.heap.fetch(block, ObjectModel.BLOCK_METHOD)));
        int index = rt.addCallback(cb);
        // no allocation since `self` was read: store the fields directly
        in.heap.store(self, BLOCK, block);
        in.heap.store(self, RETURNS, ret);
        in.heap.store(self, ARGUMENTS, args);
        in.heap.store(self, HANDLE, rt.handleFor(index));
        in.heap.store(self, ADDRESS, in.u.integer(slot.functionPointer.address()));
        return self;
    }

    /** The C function pointer of an ExternalCallback passed as #pointer; a freed one is an error. */
    public static long functionPointer(FfiRuntime rt, long callback, String where) {
        Interpreter in = rt.in;
        Callback cb = rt.callback(rt.indexOf(in.heap.fetch(callback, HANDLE)));
        if (cb == null || cb.isFreed()) throw new FfiError(where + ": the ExternalCallback was freed (or made before the image was saved)");
        return cb.slot.functionPointer.address();
    }
}
