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

    /** The integer types: their values are checked against {@link #min()} and {@link #max()}. */
    public boolean isInteger() { return switch (this) { case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64 -> true; default -> false; }; }
    public long min() { return min; }
    public long max() { return max; }

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

    /**
     * The layout a callback's upcall declares for this type: pointers as 64-bit integers, which
     * every ABI we run on passes exactly like an address, so FFM makes no MemorySegment for them.
     */
    public MemoryLayout wordLayout() { return this == POINTER || this == STRING ? ValueLayout.JAVA_LONG : layout; }

    /** A Smalltalk value as the Java carrier of this type; {@code arena} holds #string copies for the call. */
    public Object toNative(Interpreter in, long v, Arena arena, Pointers pointers, String where) {
        return switch (this) {
            case BOOL -> toWord(in, v, pointers, where) != 0;
            case INT8, UINT8 -> (byte) toWord(in, v, pointers, where);
            case INT16, UINT16 -> (short) toWord(in, v, pointers, where);
            case INT32, UINT32 -> (int) toWord(in, v, pointers, where);
            case INT64, UINT64, SIZE_T -> toWord(in, v, pointers, where);
            case FLOAT -> Float.intBitsToFloat((int) toWord(in, v, pointers, where));
            case DOUBLE -> real(in, v, where);
            case POINTER -> MemorySegment.ofAddress(toWord(in, v, pointers, where));
            case STRING -> {
                if (v == in.u.nil) yield MemorySegment.NULL;
                if (!in.u.isString(v)) throw new FfiError(where + ": expected a String for #string, not " + in.describeValue(v));
                yield arena.allocateFrom(in.u.stringValue(v));
            }
            case VOID -> throw new FfiError(where + ": #void is not a type for a value");
        };
    }

    /**
     * A Smalltalk value as a 64-bit word: the C value's bits, to be truncated to the type's
     * width by the caller (true is 1, a pointer its address, a float or double its IEEE bits).
     * #string has no word: its copy needs an owner (an arena).
     */
    public long toWord(Interpreter in, long v, Pointers pointers, String where) {
        return switch (this) {
            case BOOL -> {
                if (v == in.u.trueObject) yield 1;
                if (v == in.u.falseObject) yield 0;
                throw new FfiError(where + ": expected true or false for #bool, not " + in.describeValue(v));
            }
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64 -> integer(in, v, where);
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
                yield Float.floatToRawIntBits(f);
            }
            case DOUBLE -> Double.doubleToRawLongBits(real(in, v, where));
            case POINTER -> pointers.addressOf(in, v, where);
            case VOID, STRING -> throw new IllegalArgumentException("#" + symbol + " has no word");
        };
    }

    /** A value native code gave us (a result or a callback argument) as a Smalltalk value. */
    public long fromNative(Interpreter in, Object v, Pointers pointers) {
        return switch (v) {
            case null -> in.u.nil; // void
            case Float f -> in.u.newDouble(f);
            case Double d -> in.u.newDouble(d);
            case Boolean b -> fromWord(in, b ? 1 : 0, pointers);
            case MemorySegment m -> fromWord(in, m.address(), pointers);
            case Number n -> fromWord(in, n.longValue(), pointers); // Byte, Short, Integer, Long
            default -> throw new IllegalArgumentException("not a carrier of #" + symbol + ": " + v);
        };
    }

    /**
     * A word native code gave us as a Smalltalk value: its low bits as this type (a narrower
     * value may arrive sign-extended, so unsigned types mask; floats and doubles are IEEE bits).
     */
    public long fromWord(Interpreter in, long w, Pointers pointers) {
        return switch (this) {
            case VOID -> in.u.nil;
            case BOOL -> in.u.bool((w & 0xFF) != 0);
            case INT8 -> in.u.integer((byte) w);
            case UINT8 -> in.u.integer(w & 0xFF);
            case INT16 -> in.u.integer((short) w);
            case UINT16 -> in.u.integer(w & 0xFFFF);
            case INT32 -> in.u.integer((int) w);
            case UINT32 -> in.u.integer(w & 0xFFFF_FFFFL);
            case INT64 -> in.u.integer(w);
            case UINT64, SIZE_T -> w >= 0 ? in.u.integer(w) : in.u.integer(BigInteger.valueOf(w).add(TWO_64));
            case POINTER -> pointers.newAddress(in, w);
            case STRING -> w == 0 ? in.u.nil : in.u.newString(MemorySegment.ofAddress(w).reinterpret(Long.MAX_VALUE).getString(0));
            case FLOAT -> in.u.newDouble(Float.intBitsToFloat((int) w));
            case DOUBLE -> in.u.newDouble(Double.longBitsToDouble(w));
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
