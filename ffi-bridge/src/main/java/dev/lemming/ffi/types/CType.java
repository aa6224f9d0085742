package dev.lemming.ffi.types;

import dev.lemming.ffi.FfiError;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.memory.object.Tags;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;

/**
 * The C types of the FFI (DESIGN.md): the FFM layout each is passed as, and the conversions
 * between Smalltalk values and the Java carriers of those layouts, both ways, with range checks.
 */
public enum CType {
    VOID("void", null, 0, 0),
    BOOL("bool", ValueLayout.JAVA_BOOLEAN, 0, 0),
    INT8("int8", ValueLayout.JAVA_BYTE, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT8("uint8", ValueLayout.JAVA_BYTE, 0, 0xFF),
    INT16("int16", ValueLayout.JAVA_SHORT, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16("uint16", ValueLayout.JAVA_SHORT, 0, 0xFFFF),
    INT32("int32", ValueLayout.JAVA_INT, Integer.MIN_VALUE, Integer.MAX_VALUE),
    UINT32("uint32", ValueLayout.JAVA_INT, 0, 0xFFFF_FFFFL),
    INT64("int64", ValueLayout.JAVA_LONG, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT64("uint64", ValueLayout.JAVA_LONG, 0, 0),
    SIZE_T("size_t", ValueLayout.JAVA_LONG, 0, 0),
    FLOAT("float", ValueLayout.JAVA_FLOAT, 0, 0),
    DOUBLE("double", ValueLayout.JAVA_DOUBLE, 0, 0),
    POINTER("pointer", ValueLayout.ADDRESS, 0, 0),
    STRING("string", ValueLayout.ADDRESS, 0, 0);

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    public final String symbol;
    public final MemoryLayout layout;
    private final long min, max;

    CType(String symbol, MemoryLayout layout, long min, long max) {
        this.symbol = symbol;
        this.layout = layout;
        this.min = min;
        this.max = max;
    }

    /** The type named by a symbol such as #int32, or null. */
    public static CType named(String name) {
        for (CType t : values()) if (t.symbol.equals(name)) return t;
        return null;
    }

    /** The type a Smalltalk symbol names; {@code context} and {@code what} make the error message. */
    public static CType of(Interpreter in, long v, String context, String what) {
        if (in.heap.classIndexOf(v) != dev.lemming.interpreter.runtime.ObjectModel.SYMBOL)
            throw new FfiError(context + ": " + what + " must be a symbol such as #int32, not " + in.describeValue(v));
        CType t = named(in.u.stringValue(v));
        if (t == null) throw new FfiError(context + ": " + what + " is #" + in.u.stringValue(v) + ", not a C type (known: " + known() + ")");
        return t;
    }

    public static String known() {
        StringBuilder b = new StringBuilder();
        for (CType t : values()) b.append(b.isEmpty() ? "#" : " #").append(t.symbol);
        return b.toString();
    }

    /** How native code reads pointers we pass and what we make of pointers it gives back. */
    public interface Pointers {
        /** The address a Smalltalk value stands for when passed as #pointer; throws if it stands for none. */
        long addressOf(Interpreter in, long value, String where);
        /** A new ExternalAddress for {@code address}. */
        long newAddress(Interpreter in, long address);
    }

    /** A Smalltalk value as the Java carrier of this type; {@code arena} holds #string copies for the call. */
    public Object toNative(Interpreter in, long v, Arena arena, Pointers pointers, String where) {
        return switch (this) {
            case VOID -> throw new FfiError(where + ": #void is not a type for a value");
            case BOOL -> {
                if (v == in.u.trueObject) yield true;
                if (v == in.u.falseObject) yield false;
                throw new FfiError(where + ": expected true or false for #bool, not " + in.describeValue(v));
            }
            case INT8, UINT8 -> (byte) integer(in, v, where);
            case INT16, UINT16 -> (short) integer(in, v, where);
            case INT32, UINT32 -> (int) integer(in, v, where);
            case INT64 -> integer(in, v, where);
            case UINT64, SIZE_T -> {
                if (Tags.isSmallInteger(v) && Tags.smallIntegerValue(v) >= 0) yield Tags.smallIntegerValue(v);
                BigInteger b = bigInteger(in, v, where);
                if (b.signum() < 0 || b.bitLength() > 64) throw new FfiError(where + ": " + b + " does not fit #" + symbol + " (0 to 2^64-1)");
                yield b.longValue();
            }
            case FLOAT -> {
                double d = real(in, v, where);
                float f = (float) d;
                if (Float.isInfinite(f) && !Double.isInfinite(d)) throw new FfiError(where + ": " + d + " does not fit #float");
                yield f;
            }
            case DOUBLE -> real(in, v, where);
            case POINTER -> MemorySegment.ofAddress(pointers.addressOf(in, v, where));
            case STRING -> {
                if (v == in.u.nil) yield MemorySegment.NULL;
                if (!in.u.isString(v)) throw new FfiError(where + ": expected a String for #string, not " + in.describeValue(v));
                yield arena.allocateFrom(in.u.stringValue(v));
            }
        };
    }

    /** A value native code gave us (a result or a callback argument) as a Smalltalk value. */
    public long fromNative(Interpreter in, Object v, Pointers pointers) {
        return switch (this) {
            case VOID -> in.u.nil;
            case BOOL -> in.u.bool((Boolean) v);
            case INT8 -> in.u.integer((Byte) v);
            case UINT8 -> in.u.integer((Byte) v & 0xFF);
            case INT16 -> in.u.integer((Short) v);
            case UINT16 -> in.u.integer((Short) v & 0xFFFF);
            case INT32 -> in.u.integer((Integer) v);
            case UINT32 -> in.u.integer((Integer) v & 0xFFFF_FFFFL);
            case INT64 -> in.u.integer((Long) v);
            case UINT64, SIZE_T -> {
                long l = (Long) v;
                yield l >= 0 ? in.u.integer(l) : in.u.integer(BigInteger.valueOf(l).add(TWO_64));
            }
            case FLOAT -> in.u.newDouble((Float) v);
            case DOUBLE -> in.u.newDouble((Double) v);
            case POINTER -> pointers.newAddress(in, ((MemorySegment) v).address());
            case STRING -> {
                MemorySegment s = (MemorySegment) v;
                yield s.address() == 0 ? in.u.nil : in.u.newString(s.reinterpret(Long.MAX_VALUE).getString(0));
            }
        };
    }

    /** The carrier's zero: what a callback answers when it must not run (or could not). */
    public Object zero() {
        return switch (this) {
            case VOID -> null;
            case BOOL -> false;
            case INT8, UINT8 -> (byte) 0;
            case INT16, UINT16 -> (short) 0;
            case INT32, UINT32 -> 0;
            case INT64, UINT64, SIZE_T -> 0L;
            case FLOAT -> 0.0f;
            case DOUBLE -> 0.0;
            case POINTER, STRING -> MemorySegment.NULL;
        };
    }

    private long integer(Interpreter in, long v, String where) {
        if (Tags.isSmallInteger(v)) { // the common case, without a BigInteger
            long l = Tags.smallIntegerValue(v);
            if (l >= min && l <= max) return l;
        }
        BigInteger b = bigInteger(in, v, where);
        if (b.bitLength() > 63 || b.longValue() < min || b.longValue() > max)
            throw new FfiError(where + ": " + b + " does not fit #" + symbol + " (" + min + " to " + max + ")");
        return b.longValue();
    }

    private static BigInteger bigInteger(Interpreter in, long v, String where) {
        if (!in.u.isInteger(v)) throw new FfiError(where + ": expected an Integer, not " + in.describeValue(v));
        return in.u.bigInteger(v);
    }

    private static double real(Interpreter in, long v, String where) {
        if (in.u.isDouble(v)) return in.u.doubleValue(v);
        if (in.u.isInteger(v)) return in.u.bigInteger(v).doubleValue();
        throw new FfiError(where + ": expected a number, not " + in.describeValue(v));
    }
}
