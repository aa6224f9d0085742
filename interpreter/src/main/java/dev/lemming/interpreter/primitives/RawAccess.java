package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.memory.RawMemory;

import java.lang.foreign.ValueLayout;
import java.math.BigInteger;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;

/**
 * The typed accessors that ByteArray and the FFI's ExternalAddress share: byteAt:, int32At:put:,
 * doubleAt: ... with 0-based byte offsets in native byte order, like C. Every access is checked
 * against the region's size when it is known; a value that does not fit the type is an error.
 */
public final class RawAccess {
    private RawAccess() {}

    /** Where a receiver's bytes are: its base address and size (-1 when unknown). */
    public interface Region {
        long base(Interpreter in, long receiver);
        long size(Interpreter in, long receiver);
        /** The exception class its failures are signalled as. */
        default String errorClass() { return "Error"; }
        /** Where machine code finds the base and size itself, or null: then only the primitives access it. */
        default Fields fields() { return null; }
    }

    /**
     * A region whose base address and size (nil: unknown) are SmallIntegers in fields {@code base}
     * and {@code size} of the receiver: the JIT does the integer accessors of such a class in
     * machine code, and sends to the primitive for anything it does not handle (the errors).
     */
    public record Fields(int base, int size) {}

    private static final java.util.Map<String, Fields> FIELD_REGIONS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The classes (by name) whose accessors machine code may do itself, with their fields. */
    public static java.util.Map<String, Fields> fieldRegions() { return FIELD_REGIONS; }

    private record Kind(String name, int bytes, long min, long max) {}

    private static final Kind[] INTEGERS = {
            new Kind("byte", 1, 0, 255), new Kind("int8", 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
            new Kind("uint8", 1, 0, 255),
            new Kind("int16", 2, Short.MIN_VALUE, Short.MAX_VALUE), new Kind("uint16", 2, 0, 0xFFFF),
            new Kind("int32", 4, Integer.MIN_VALUE, Integer.MAX_VALUE), new Kind("uint32", 4, 0, 0xFFFF_FFFFL),
            new Kind("int64", 8, Long.MIN_VALUE, Long.MAX_VALUE)};

    public static void define(PrimitiveSet set, String className, Region region) {
        if (region.fields() != null) FIELD_REGIONS.put(className, region.fields());
        String errorClass = region.errorClass();
        // every failure is signalled as the region's error class (FFIError for native memory)
        Definer p = errorClass.equals("Error") ? set::define : (cls, selector, prim) -> set.define(cls, selector, (in, n) -> {
            try {
                return prim.call(in, n);
            } catch (PrimitiveFailure f) {
                throw f.exceptionClass.equals(errorClass) ? f : new PrimitiveFailure(errorClass, f.getMessage());
            }
        });
        defineAll(p, className, region);
    }

    private interface Definer { void define(String className, String selector, dev.lemming.interpreter.exec.Primitive p); }

    private static void defineAll(Definer p, String className, Region region) {
        for (Kind k : INTEGERS) {
            // the selectors are the error texts' prefixes: made once here, not at every call
            String at = k.name + "At:", atPut = k.name + "At:put:";
            p.define(className, at, (in, n) -> {
                long a = address(in, region, receiver(in, n), arg(in, n, 0), k.bytes, at);
                long v = switch (k.bytes) {
                    case 1 -> k.min < 0 ? RawMemory.ALL.get(ValueLayout.JAVA_BYTE, a) : RawMemory.ALL.get(ValueLayout.JAVA_BYTE, a) & 0xFF;
                    case 2 -> k.min < 0 ? RawMemory.ALL.get(ValueLayout.JAVA_SHORT_UNALIGNED, a) : RawMemory.ALL.get(ValueLayout.JAVA_SHORT_UNALIGNED, a) & 0xFFFF;
                    case 4 -> k.min < 0 ? RawMemory.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, a) : RawMemory.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, a) & 0xFFFF_FFFFL;
                    default -> RawMemory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a);
                };
                return in.u.integer(v);
            });
            p.define(className, atPut, (in, n) -> {
                long value = arg(in, n, 1);
                long v = integerIn(in, value, k.min, k.max, atPut);
                long a = address(in, region, receiver(in, n), arg(in, n, 0), k.bytes, atPut);
                switch (k.bytes) {
                    case 1 -> RawMemory.ALL.set(ValueLayout.JAVA_BYTE, a, (byte) v);
                    case 2 -> RawMemory.ALL.set(ValueLayout.JAVA_SHORT_UNALIGNED, a, (short) v);
                    case 4 -> RawMemory.ALL.set(ValueLayout.JAVA_INT_UNALIGNED, a, (int) v);
                    default -> RawMemory.ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, a, v);
                }
                return value;
            });
        }
        p.define(className, "doubleAt:", (in, n) -> in.u.newDouble(RawMemory.ALL.get(ValueLayout.JAVA_DOUBLE_UNALIGNED,
                address(in, region, receiver(in, n), arg(in, n, 0), 8, "doubleAt:"))));
        p.define(className, "doubleAt:put:", (in, n) -> {
            long value = arg(in, n, 1);
            double d = NumberPrimitives.number(in, value);
            RawMemory.ALL.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, address(in, region, receiver(in, n), arg(in, n, 0), 8, "doubleAt:put:"), d);
            return value;
        });
        p.define(className, "floatAt:", (in, n) -> in.u.newDouble(RawMemory.ALL.get(ValueLayout.JAVA_FLOAT_UNALIGNED,
                address(in, region, receiver(in, n), arg(in, n, 0), 4, "floatAt:"))));
        p.define(className, "floatAt:put:", (in, n) -> {
            long value = arg(in, n, 1);
            float f = toFloat(NumberPrimitives.number(in, value), "floatAt:put:");
            RawMemory.ALL.set(ValueLayout.JAVA_FLOAT_UNALIGNED, address(in, region, receiver(in, n), arg(in, n, 0), 4, "floatAt:put:"), f);
            return value;
        });
    }

    /** A double as a C float; one too large for a float is an error, not infinity. */
    public static float toFloat(double d, String where) {
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d)) throw new PrimitiveFailure(where + ": " + d + " is too large for a float");
        return f;
    }

    /** An Integer in [min, max] as a long (max above Long.MAX_VALUE is not needed here). */
    public static long integerIn(Interpreter in, long value, long min, long max, String where) {
        if (dev.lemming.memory.object.Tags.isSmallInteger(value)) { // the common case, without a BigInteger
            long v = dev.lemming.memory.object.Tags.smallIntegerValue(value);
            if (v >= min && v <= max) return v;
        }
        if (!in.u.isInteger(value)) throw new PrimitiveFailure(where + ": expected an Integer, not " + in.describeValue(value));
        BigInteger b = in.u.bigInteger(value);
        if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(max)) > 0)
            throw new PrimitiveFailure(where + ": " + b + " does not fit (" + min + " to " + max + ")");
        return b.longValue();
    }

    /** The NUL-terminated UTF-8 string at {@code address}, reading at most {@code limit} bytes (-1: no limit). */
    public static String cString(long address, long limit) {
        long len = 0;
        while ((limit < 0 || len < limit) && RawMemory.ALL.get(ValueLayout.JAVA_BYTE, address + len) != 0) len++;
        byte[] b = new byte[(int) len];
        java.lang.foreign.MemorySegment.copy(RawMemory.ALL, ValueLayout.JAVA_BYTE, address, b, 0, (int) len);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The address of {@code width} bytes at a 0-based offset into the receiver's region, checked. */
    public static long address(Interpreter in, Region region, long receiver, long offsetArg, int width, String where) {
        long offset = Args.smallInt(in, offsetArg, where, "the offset");
        long size = region.size(in, receiver);
        if (offset < 0 || (size >= 0 && offset + width > size))
            throw new PrimitiveFailure(where + ": offset " + offset + " out of bounds for " + width + " byte(s) in " + (size < 0 ? "memory" : size + " bytes"));
        long base = region.base(in, receiver);
        if (base == 0) throw new PrimitiveFailure(where + ": the address is NULL");
        return base + offset;
    }
}
