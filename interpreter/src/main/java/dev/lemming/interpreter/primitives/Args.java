package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.memory.object.Tags;

/** Reading a primitive's receiver and arguments from the stack, with clear errors. */
final class Args {
    private Args() {}

    static long receiver(Interpreter in, int nargs) { return in.stackValue(nargs); }
    /** Argument {@code i} (0-based) of {@code nargs}. */
    static long arg(Interpreter in, int nargs, int i) { return in.stackValue(nargs - 1 - i); }

    static long smallInt(Interpreter in, long v, String what) {
        if (!Tags.isSmallInteger(v)) throw new PrimitiveFailure(what + " must be an integer, not " + in.describeValue(v));
        return Tags.smallIntegerValue(v);
    }

    /** As above, naming the argument as "{where} {what}", a text built only on failure (for primitives on hot paths). */
    static long smallInt(Interpreter in, long v, String where, String what) {
        if (!Tags.isSmallInteger(v)) throw new PrimitiveFailure(where + " " + what + " must be an integer, not " + in.describeValue(v));
        return Tags.smallIntegerValue(v);
    }

    // The texts of SOM-st/SOM's IntegrationTests for an argument of the wrong type (yksom's, whose
    // type names they spell); the backtrace under the message says which send it was.

    /** "Expected a numeric type but got type 'String_'.": an arithmetic argument that is no number. */
    static PrimitiveFailure notNumber(Interpreter in, long v) {
        return new PrimitiveFailure("Expected a numeric type but got type '" + typeName(in, v) + "'.");
    }

    /** "Expected object of type 'Int' but got type 'Double'." (and 'String_' for a string argument). */
    static PrimitiveFailure wrongType(Interpreter in, String expected, long v) {
        return new PrimitiveFailure("Expected object of type '" + expected + "' but got type '" + typeName(in, v) + "'.");
    }

    /** A value's type as those error texts name it. */
    static String typeName(Interpreter in, long v) {
        if (Tags.isSmallInteger(v)) return "Int";
        if (in.u.isInteger(v)) return "ArbInt";
        if (in.u.isDouble(v)) return "Double";
        int c = in.heap.classIndexOf(v);
        if (c == ObjectModel.SYMBOL) return "Symbol";
        if (in.u.isString(v)) return "String_";
        if (c == ObjectModel.ARRAY) return "Array";
        if (c >= ObjectModel.BLOCK && c <= ObjectModel.BLOCK3) return "Block";
        if (c == ObjectModel.METHOD || c == ObjectModel.PRIMITIVE) return "Method";
        if (in.u.isClass(v)) return "Class";
        return "Inst";
    }

    static String string(Interpreter in, long v, String what) {
        if (!in.u.isString(v)) throw new PrimitiveFailure(what + " must be a string, not " + in.describeValue(v));
        return in.u.stringValue(v);
    }
}
