package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveFailure;
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

    static String string(Interpreter in, long v, String what) {
        if (!in.u.isString(v)) throw new PrimitiveFailure(what + " must be a string, not " + in.describeValue(v));
        return in.u.stringValue(v);
    }
}
