package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import java.lang.foreign.ValueLayout;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;

/**
 * ByteArray: zeroed bytes in the heap, at:/at:put: 1-based like every collection, and the typed
 * accessors of {@link RawAccess} 0-based like C, for buffers handed to native code.
 */
public final class ByteArrayPrimitives {
    private ByteArrayPrimitives() {}

    public static final RawAccess.Region BYTES = new RawAccess.Region() {
        @Override public long base(Interpreter in, long receiver) { return Layout.firstByteAddress(receiver); }
        @Override public long size(Interpreter in, long receiver) { return Layout.byteSize(receiver); }
    };

    public static void install(PrimitiveSet p) {
        p.define("ByteArray class", "new:", (in, n) -> {
            long size = Args.smallInt(in, arg(in, n, 0), "the size");
            if (size < 0) throw new PrimitiveFailure("cannot make a ByteArray of negative size " + size);
            return in.heap.allocateBytes(in.u.instanceIndex(receiver(in, n)), size);
        });
        p.define("ByteArray", "length", (in, n) -> Tags.smallInteger(Layout.byteSize(receiver(in, n))));
        p.define("ByteArray", "at:", (in, n) -> Tags.smallInteger(RawMemory.ALL.get(ValueLayout.JAVA_BYTE, index(in, receiver(in, n), arg(in, n, 0))) & 0xFF));
        p.define("ByteArray", "at:put:", (in, n) -> {
            long v = arg(in, n, 1);
            long b = RawAccess.integerIn(in, v, 0, 255, "ByteArray>>at:put:");
            RawMemory.ALL.set(ValueLayout.JAVA_BYTE, index(in, receiver(in, n), arg(in, n, 0)), (byte) b);
            return v;
        });
        p.define("ByteArray", "asString", (in, n) -> {
            long a = receiver(in, n);
            return in.u.newString(RawAccess.cString(Layout.firstByteAddress(a), Layout.byteSize(a)));
        });
        RawAccess.define(p, "ByteArray", BYTES);
    }

    private static long index(Interpreter in, long a, long idx) {
        long i = Args.smallInt(in, idx, "the index");
        long size = Layout.byteSize(a);
        if (i < 1 || i > size) throw new PrimitiveFailure("Index " + i + " not valid for a ByteArray of length " + size + ".");
        return Layout.firstByteAddress(a) + i - 1;
    }
}
