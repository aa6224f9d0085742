package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import java.util.Arrays;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;
import static dev.lemming.interpreter.runtime.ObjectModel.STRING;
import static dev.lemming.interpreter.runtime.ObjectModel.SYMBOL;

/** String and Symbol primitives. Strings are byte objects holding UTF-8. */
public final class StringPrimitives {
    private StringPrimitives() {}

    /**
     * The injected bug: the receiver's address is read before the result is allocated and used
     * after, as a raw Java local would be. An allocation that scavenges leaves it stale.
     */
    private static long staleConcatenate(dev.lemming.interpreter.exec.Interpreter in, int n) {
        long a = receiver(in, n);
        long aLength = Layout.byteSize(a);
        byte[] b = in.u.bytes(arg(in, n, 0));
        long result = in.u.newBytes(STRING, new byte[(int) aLength + b.length]);
        dev.lemming.memory.RawMemory.copy(Layout.slotAddress(a, 0), Layout.slotAddress(result, 0), aLength);
        for (int i = 0; i < b.length; i++) dev.lemming.memory.RawMemory.putByte(Layout.slotAddress(result, 0) + aLength + i, b[i]);
        return result;
    }

    public static void install(PrimitiveSet p) {
        p.define("String", "concatenate:", (in, n) -> {
            if (dev.lemming.memory.FaultInjection.staleReferenceAcrossAllocation) return staleConcatenate(in, n);
            byte[] a = in.u.bytes(receiver(in, n));
            long argv = arg(in, n, 0);
            if (!in.u.isString(argv)) throw new PrimitiveFailure("concatenate: needs a string, not " + in.describeValue(argv));
            byte[] b = in.u.bytes(argv);
            byte[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return in.u.newBytes(STRING, c);
        });
        p.define("String", "asSymbol", (in, n) -> in.u.symbol(in.u.stringValue(receiver(in, n))));
        p.define("String", "asString", (in, n) -> in.u.newBytes(STRING, in.u.bytes(receiver(in, n))));
        p.define("String", "hashcode", (in, n) -> Tags.smallInteger(Arrays.hashCode(in.u.bytes(receiver(in, n)))));
        // length and charAt: read the heap object in place: copying the string made scans quadratic
        p.define("String", "length", (in, n) -> Tags.smallInteger(Layout.byteSize(receiver(in, n))));
        p.define("String", "isWhiteSpace", (in, n) -> in.u.bool(all(in.u.stringValue(receiver(in, n)), Character::isWhitespace)));
        p.define("String", "isLetters", (in, n) -> in.u.bool(all(in.u.stringValue(receiver(in, n)), Character::isLetter)));
        p.define("String", "isDigits", (in, n) -> in.u.bool(all(in.u.stringValue(receiver(in, n)), Character::isDigit)));
        p.define("String", "=", (in, n) -> {
            long a = receiver(in, n), b = arg(in, n, 0);
            if (a == b) return in.u.trueObject;
            if (!in.u.isString(b)) return in.u.falseObject;
            // a Symbol equals only itself; a String equals a String or Symbol of the same characters
            if (in.heap.classIndexOf(a) == SYMBOL && in.heap.classIndexOf(b) == SYMBOL) return in.u.falseObject;
            long size = Layout.byteSize(a);
            if (size != Layout.byteSize(b)) return in.u.falseObject;
            return in.u.bool(RawMemory.equalBytes(Layout.firstByteAddress(a), Layout.firstByteAddress(b), size));
        });
        p.define("String", "primSubstringFrom:to:", (in, n) -> {
            // copies just the bytes asked for, heap to heap: copying the whole string first made
            // a parser's charAt: (a one-byte substring) cost the length of its input
            long size = Layout.byteSize(receiver(in, n));
            long from = Args.smallInt(in, arg(in, n, 0), "the start"), to = Args.smallInt(in, arg(in, n, 1), "the end");
            if (from < 1 || to > size || from > to + 1) throw new PrimitiveFailure("substring " + from + " to " + to + " out of bounds for a string of length " + size);
            long length = to - from + 1;
            long result = in.heap.allocateBytes(STRING, length);
            long s = receiver(in, n); // read after the allocation, which may have moved it
            RawMemory.copy(Layout.firstByteAddress(s) + from - 1, Layout.firstByteAddress(result), length);
            return result;
        });
        p.define("String", "charAt:", (in, n) -> {
            long s = receiver(in, n);
            long size = Layout.byteSize(s);
            long i = Args.smallInt(in, arg(in, n, 0), "the index");
            if (i < 1 || i > size) throw new PrimitiveFailure("Index " + i + " not valid for a string of length " + size + ".");
            byte b = RawMemory.getByte(Layout.firstByteAddress(s) + i - 1);
            long r = in.heap.allocateBytes(STRING, 1); // may collect: s is not used after this
            RawMemory.putByte(Layout.firstByteAddress(r), b);
            return r;
        });
        p.define("Symbol", "asString", (in, n) -> in.u.newBytes(STRING, in.u.bytes(receiver(in, n))));
        p.define("Symbol", "asSymbol", (in, n) -> receiver(in, n));
    }

    private static boolean all(String s, java.util.function.IntPredicate p) {
        return !s.isEmpty() && s.codePoints().allMatch(p);
    }
}
