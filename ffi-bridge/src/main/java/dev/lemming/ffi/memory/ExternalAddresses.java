package dev.lemming.ffi.memory;

import dev.lemming.ffi.FfiError;
import dev.lemming.ffi.FfiRuntime;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.primitives.RawAccess;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Tags;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * ExternalAddress: native memory read and written with the typed accessors (checked against the
 * size when known, never at NULL), malloc'd memory (calloc/free, so C code may free it too), and
 * pinning of heap objects.
 */
public final class ExternalAddresses {
    private ExternalAddresses() {}

    private static final Linker C = Linker.nativeLinker();
    private static final MethodHandle CALLOC = C.downcallHandle(C.defaultLookup().find("calloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = C.downcallHandle(C.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));

    static final RawAccess.Region REGION = new RawAccess.Region() {
        @Override public long base(Interpreter in, long receiver) { return Math.max(0, FfiRuntime.integerField(in, receiver, FfiRuntime.ADDRESS)); }
        @Override public long size(Interpreter in, long receiver) { return FfiRuntime.integerField(in, receiver, FfiRuntime.ADDRESS_SIZE); }
        @Override public String errorClass() { return "FFIError"; }
        @Override public RawAccess.Fields fields() { return new RawAccess.Fields(FfiRuntime.ADDRESS, FfiRuntime.ADDRESS_SIZE); }
    };

    public static void install(PrimitiveSet p) {
        RawAccess.define(p, "ExternalAddress", REGION);
        p.define("ExternalAddress", "readString", (in, n) -> {
            long self = in.stackValue(0);
            return in.u.newString(RawAccess.cString(address(in, self, "readString"), REGION.size(in, self)));
        });
        p.define("ExternalAddress", "pointerAt:", (in, n) -> {
            long v = RawMemory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, pointerSlot(in, in.stackValue(1), in.stackValue(0), "pointerAt:"));
            return FfiRuntime.of(in).newAddress(v, -1);
        });
        p.define("ExternalAddress", "pointerAt:put:", (in, n) -> {
            long value = in.stackValue(0);
            long target = FfiRuntime.of(in).pointers.addressOf(in, value, "pointerAt:put:");
            RawMemory.ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, pointerSlot(in, in.stackValue(2), in.stackValue(1), "pointerAt:put:"), target);
            return value;
        });
        p.define("ExternalAddress", "free", (in, n) -> {
            long self = in.stackValue(0);
            long a = address(in, self, "free");
            if (in.heap.fetch(self, FfiRuntime.ADDRESS_SIZE) == in.u.nil)
                throw new FfiError("free: this ExternalAddress was not made by allocate: or fromString:; free it with the function that made it");
            invoke(FREE, a);
            in.heap.store(self, FfiRuntime.ADDRESS, Tags.smallInteger(0));
            in.heap.store(self, FfiRuntime.ADDRESS_SIZE, Tags.smallInteger(0));
            return self;
        });
        p.define("ExternalAddress class", "allocate:", (in, n) -> {
            long size = in.stackValue(0);
            if (!Tags.isSmallInteger(size) || Tags.smallIntegerValue(size) < 0) throw new FfiError("allocate: needs a size >= 0, not " + in.describeValue(size));
            return FfiRuntime.of(in).newAddress(calloc(Tags.smallIntegerValue(size)), Tags.smallIntegerValue(size));
        });
        p.define("ExternalAddress class", "fromString:", (in, n) -> {
            long s = in.stackValue(0);
            if (!in.u.isString(s)) throw new FfiError("fromString: needs a String, not " + in.describeValue(s));
            byte[] b = in.u.stringValue(s).getBytes(StandardCharsets.UTF_8);
            long a = calloc(b.length + 1);
            MemorySegment.copy(b, 0, RawMemory.ALL, ValueLayout.JAVA_BYTE, a, b.length);
            return FfiRuntime.of(in).newAddress(a, b.length + 1);
        });
        p.define("ExternalAddress class", "pin:", (in, n) -> {
            long o = in.stackValue(0);
            if (!Tags.isPointer(o) || o == in.u.nil) throw new FfiError("pin: " + in.describeValue(o) + " is not a heap object");
            if (in.heap.isPinned(o)) return o; // already pinned, by the VM or by an earlier pin
            long pinned = in.heap.pin(o);
            FfiRuntime.of(in).userPins.add(pinned);
            return pinned;
        });
        p.define("ExternalAddress class", "unpin:", (in, n) -> {
            long o = in.stackValue(0);
            if (FfiRuntime.of(in).userPins.remove(o)) in.heap.unpin(o);
            return o;
        });
        p.define("ExternalAddress class", "isPinned:", (in, n) -> in.u.bool(in.heap.isPinned(in.stackValue(0))));
    }

    private static long calloc(long size) {
        long a = (long) invoke(CALLOC, Math.max(size, 1), 1L);
        if (a == 0) throw new FfiError("allocate: out of native memory for " + size + " bytes");
        return a;
    }

    private static Object invoke(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long address(Interpreter in, long self, String where) {
        long a = FfiRuntime.integerField(in, self, FfiRuntime.ADDRESS);
        if (a <= 0) throw new FfiError(where + ": the address is NULL (or was freed)");
        return a;
    }

    /** The 8 bytes of a pointer at a 0-based offset, checked like every typed access. */
    private static long pointerSlot(Interpreter in, long self, long offsetArg, String where) {
        try {
            return RawAccess.address(in, REGION, self, offsetArg, 8, where);
        } catch (dev.lemming.interpreter.exec.PrimitiveFailure f) {
            throw new FfiError(f.getMessage());
        }
    }
}
