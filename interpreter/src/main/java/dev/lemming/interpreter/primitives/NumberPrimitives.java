package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.memory.object.Tags;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import java.util.function.BinaryOperator;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;

/**
 * Integer and Double. SmallIntegers overflow into large integers (BigInteger arithmetic on byte
 * objects) and results shrink back when they fit; an Integer meeting a Double becomes a Double.
 */
public final class NumberPrimitives {
    private NumberPrimitives() {}

    public static void install(PrimitiveSet p, Random random) {
        p.define("Integer", "+", (in, n) -> arith(in, n, Math::addExact, BigInteger::add, Double::sum));
        p.define("Integer", "-", (in, n) -> arith(in, n, Math::subtractExact, BigInteger::subtract, (a, b) -> a - b));
        p.define("Integer", "*", (in, n) -> arith(in, n, Math::multiplyExact, BigInteger::multiply, (a, b) -> a * b));
        p.define("Integer", "/", (in, n) -> {
            long a = receiver(in, n), b = arg(in, n, 0);
            if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b) && b != Tags.smallInteger(0))
                return in.u.integer(Math.floorDiv(Tags.smallIntegerValue(a), Tags.smallIntegerValue(b)));
            if (in.u.isDouble(b)) {
                double divisor = nonZero(in.u.doubleValue(b)); // before the receiver's conversion, which may fail
                return truncated(in, in.u.doubleValue(toDouble(in, a)) / divisor);
            }
            BigInteger d = bigArg(in, b);
            if (d.signum() == 0) throw new PrimitiveFailure("ZeroDivide", "Division by zero.");
            BigInteger[] qr = in.u.bigInteger(a).divideAndRemainder(d);
            BigInteger q = qr[0];
            if (qr[1].signum() != 0 && (qr[1].signum() != d.signum())) q = q.subtract(BigInteger.ONE); // floor, as Smalltalk
            return in.u.integer(q);
        });
        p.define("Integer", "//", (in, n) -> {
            long divisor = arg(in, n, 0);
            double b = number(in, divisor);
            if (!in.u.isDouble(divisor)) nonZero(b); // 10 // 0 is an error; 10 // 0.0 is infinity, as in IEEE
            return in.u.newDouble(number(in, receiver(in, n)) / b);
        });
        p.define("Integer", "%", (in, n) -> {
            long a = receiver(in, n), b = arg(in, n, 0);
            if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b) && b != Tags.smallInteger(0)) // the sign of the divisor
                return Tags.smallInteger(Math.floorMod(Tags.smallIntegerValue(a), Tags.smallIntegerValue(b)));
            if (in.u.isDouble(b)) return in.u.newDouble(in.u.doubleValue(toDouble(in, a)) % in.u.doubleValue(b)); // fmod, exact
            BigInteger d = bigArg(in, b);
            if (d.signum() == 0) throw new PrimitiveFailure("ZeroDivide", "Division by zero.");
            BigInteger m = in.u.bigInteger(a).mod(d.abs());
            if (d.signum() < 0 && m.signum() != 0) m = m.add(d); // sign of the divisor
            return in.u.integer(m);
        });
        p.define("Integer", "rem:", (in, n) -> {
            long a = receiver(in, n), b = arg(in, n, 0);
            if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b) && b != Tags.smallInteger(0)) // the sign of the dividend
                return Tags.smallInteger(Tags.smallIntegerValue(a) % Tags.smallIntegerValue(b));
            BigInteger d = bigArg(in, arg(in, n, 0));
            if (d.signum() == 0) throw new PrimitiveFailure("ZeroDivide", "Division by zero or overflow.");
            return in.u.integer(in.u.bigInteger(receiver(in, n)).remainder(d));
        });
        p.define("Integer", "&", (in, n) -> bits(in, n, (a, b) -> a & b, BigInteger::and));
        p.define("Integer", "|", (in, n) -> bits(in, n, (a, b) -> a | b, BigInteger::or));
        p.define("Integer", "bitXor:", (in, n) -> bits(in, n, (a, b) -> a ^ b, BigInteger::xor));
        p.define("Integer", "<<", (in, n) -> {
            if (in.u.isInteger(arg(in, n, 0)) && !Tags.isSmallInteger(arg(in, n, 0))) throw new PrimitiveFailure("Shift too big.");
            long s = shift(in, arg(in, n, 0));
            if (s < 0) throw new PrimitiveFailure("Negative shift.");
            BigInteger v = in.u.bigInteger(receiver(in, n));
            // a result of more than 2^26 bits (8 MB) is refused rather than attempted
            if (v.signum() != 0 && v.bitLength() + s > (1L << 26)) throw new PrimitiveFailure("Shift too big.");
            return in.u.integer(v.shiftLeft((int) s));
        });
        p.define("Integer", ">>>", (in, n) -> {
            long s = shift(in, arg(in, n, 0));
            if (s < 0) throw new PrimitiveFailure("Negative shift.");
            long r = receiver(in, n);
            if (Tags.isSmallInteger(r)) return in.u.integer(Tags.smallIntegerValue(r) >>> Math.min(63, s)); // 64-bit logical, as the other SOMs
            return in.u.integer(in.u.bigInteger(r).shiftRight((int) Math.min(s, Integer.MAX_VALUE)));
        });
        p.define("Integer", ">>", (in, n) -> {
            long s = shift(in, arg(in, n, 0));
            if (s < 0) throw new PrimitiveFailure("Negative shift.");
            return in.u.integer(in.u.bigInteger(receiver(in, n)).shiftRight((int) Math.min(s, Integer.MAX_VALUE)));
        });
        p.define("Integer", "sqrt", (in, n) -> {
            BigInteger v = in.u.bigInteger(receiver(in, n));
            if (v.signum() < 0) throw new PrimitiveFailure("Domain error.");
            BigInteger r = v.sqrt();
            // a SmallInteger that is no perfect square answers a Double; a large integer, being exact,
            // answers its integer square root
            if (r.multiply(r).equals(v) || !Tags.isSmallInteger(receiver(in, n))) return in.u.integer(r);
            return in.u.newDouble(Math.sqrt(v.doubleValue()));
        });
        p.define("Integer", "atRandom", (in, n) -> {
            long v = Args.smallInt(in, receiver(in, n), "the receiver of atRandom");
            if (v <= 0) throw new PrimitiveFailure("atRandom needs a positive integer, not " + v);
            return Tags.smallInteger((long) (random.nextDouble() * v));
        });
        p.define("Integer", "=", (in, n) -> {
            long a = receiver(in, n), b = arg(in, n, 0);
            if (in.u.isInteger(b)) return in.u.bool(a == b || in.u.bigInteger(a).equals(in.u.bigInteger(b)));
            if (in.u.isDouble(b)) return in.u.bool(compare(in, a, b, "="));
            return in.u.falseObject;
        });
        p.define("Integer", "<", (in, n) -> in.u.bool(compare(in, receiver(in, n), arg(in, n, 0), "<")));
        p.define("Integer", ">", (in, n) -> in.u.bool(compare(in, receiver(in, n), arg(in, n, 0), ">")));
        p.define("Integer", "<=", (in, n) -> in.u.bool(compare(in, receiver(in, n), arg(in, n, 0), "<=")));
        p.define("Integer", ">=", (in, n) -> in.u.bool(compare(in, receiver(in, n), arg(in, n, 0), ">=")));
        p.define("Integer", "asString", (in, n) -> in.u.newString(in.u.bigInteger(receiver(in, n)).toString()));
        p.define("Integer", "as32BitSignedValue", (in, n) -> in.u.integer((int) in.u.bigInteger(receiver(in, n)).longValue()));
        p.define("Integer", "as32BitUnsignedValue", (in, n) -> in.u.integer(in.u.bigInteger(receiver(in, n)).longValue() & 0xFFFFFFFFL));
        p.define("Integer", "asDouble", (in, n) -> toDouble(in, receiver(in, n)));
        p.define("Integer", "hashcode", (in, n) -> in.u.integer(in.u.bigInteger(receiver(in, n)).hashCode()));
        p.define("Integer class", "fromString:", (in, n) -> {
            String s = Args.string(in, arg(in, n, 0), "the argument of fromString:").trim();
            try {
                return in.u.integer(new BigInteger(s));
            } catch (NumberFormatException e) {
                throw new PrimitiveFailure("'" + s + "' cannot be converted to an Integer.");
            }
        });

        p.define("Double", "+", (in, n) -> in.u.newDouble(number(in, receiver(in, n)) + number(in, arg(in, n, 0))));
        p.define("Double", "-", (in, n) -> in.u.newDouble(number(in, receiver(in, n)) - number(in, arg(in, n, 0))));
        p.define("Double", "*", (in, n) -> in.u.newDouble(number(in, receiver(in, n)) * number(in, arg(in, n, 0))));
        // A Double divided by zero is an infinity (or NaN), as in IEEE 754, Java and the other SOM
        // VMs: Are We Fast Yet's CD divides by a zero velocity and relies on it.
        p.define("Double", "//", (in, n) -> in.u.newDouble(number(in, receiver(in, n)) / number(in, arg(in, n, 0))));
        p.define("Double", "/", (in, n) -> in.u.newDouble(number(in, receiver(in, n)) / number(in, arg(in, n, 0))));
        p.define("Double", "%", (in, n) -> {
            double x = number(in, receiver(in, n)), y = number(in, arg(in, n, 0));
            return in.u.newDouble(x % y);
        });
        p.define("Double", "sqrt", (in, n) -> in.u.newDouble(Math.sqrt(number(in, receiver(in, n)))));
        p.define("Double", "round", (in, n) -> {
            double d = number(in, receiver(in, n));
            // from 2^52 on every double is an integer already; below, half rounds up as Math.round does
            return Math.abs(d) >= 0x1p52 ? truncated(in, d) : in.u.integer(Math.round(d));
        });
        p.define("Double", "asInteger", (in, n) -> truncated(in, number(in, receiver(in, n))));
        p.define("Double", "cos", (in, n) -> in.u.newDouble(Math.cos(number(in, receiver(in, n)))));
        p.define("Double", "sin", (in, n) -> in.u.newDouble(Math.sin(number(in, receiver(in, n)))));
        p.define("Double", "=", (in, n) -> {
            long b = arg(in, n, 0);
            if (!in.u.isDouble(b) && !in.u.isInteger(b)) return in.u.falseObject;
            return in.u.bool(number(in, receiver(in, n)) == number(in, b));
        });
        p.define("Double", "<", (in, n) -> in.u.bool(number(in, receiver(in, n)) < number(in, arg(in, n, 0))));
        p.define("Double", ">", (in, n) -> in.u.bool(number(in, receiver(in, n)) > number(in, arg(in, n, 0))));
        p.define("Double", "<=", (in, n) -> in.u.bool(number(in, receiver(in, n)) <= number(in, arg(in, n, 0))));
        p.define("Double", ">=", (in, n) -> in.u.bool(number(in, receiver(in, n)) >= number(in, arg(in, n, 0))));
        p.define("Double", "asString", (in, n) -> in.u.newString(doubleString(number(in, receiver(in, n)))));
        p.define("Double class", "PositiveInfinity", (in, n) -> in.u.newDouble(Double.POSITIVE_INFINITY));
        p.define("Double class", "fromString:", (in, n) -> {
            String s = Args.string(in, arg(in, n, 0), "the argument of fromString:").trim();
            try {
                return in.u.newDouble(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                throw new PrimitiveFailure("'" + s + "' cannot be converted to a Double.");
            }
        });
    }

    /**
     * The shortest digits that read back as the same double (Java's algorithm), printed plainly for
     * decimal exponents -4..15 (1073741825.1, 0.0001) and in scientific form beyond (1.5e16, 1.0e-5),
     * with a lower-case exponent and no plus sign, as the other SOMs print.
     */
    static String doubleString(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d) || d == 0.0) return Double.toString(d);
        BigDecimal v = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = v.precision() - v.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = v.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = v.unscaledValue().abs().toString();
        String mantissa = digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0");
        return (d < 0 ? "-" : "") + mantissa + "e" + exponent;
    }

    /** A double's integral part, exactly, as an Integer of any size. */
    private static long truncated(Interpreter in, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new PrimitiveFailure("cannot convert " + d + " to an integer");
        // below 2^63 in magnitude the cast truncates exactly; BigDecimal cost ~0.5 us a call (CD's voxelHash:)
        if (Math.abs(d) < 0x1p63) return in.u.integer((long) d);
        return in.u.integer(new BigDecimal(d).toBigInteger());
    }

    private static double nonZero(double divisor) {
        if (divisor == 0.0) throw new PrimitiveFailure("ZeroDivide", "Division by zero.");
        return divisor;
    }

    private interface LongOp { long apply(long a, long b); }

    /** Bitwise operations: two SmallIntegers give a SmallInteger, no BigInteger needed. */
    private static long bits(Interpreter in, int n, LongOp small, BinaryOperator<BigInteger> big) {
        long a = receiver(in, n), b = arg(in, n, 0);
        if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b)) return Tags.smallInteger(small.apply(Tags.smallIntegerValue(a), Tags.smallIntegerValue(b)));
        if (!in.u.isInteger(b)) throw Args.wrongType(in, "Int", b);
        return in.u.integer(big.apply(in.u.bigInteger(a), in.u.bigInteger(b)));
    }

    /** A shift count: a number, and then a SmallInteger. */
    private static long shift(Interpreter in, long v) {
        if (!in.u.isInteger(v) && !in.u.isDouble(v)) throw Args.notNumber(in, v);
        if (in.u.isInteger(v) && !Tags.isSmallInteger(v)) throw new PrimitiveFailure("Shift too big.");
        return Args.smallInt(in, v, "the shift");
    }

    private static long arith(Interpreter in, int n, LongOp exact, BinaryOperator<BigInteger> big, BinaryOperator<Double> dbl) {
        long a = receiver(in, n), b = arg(in, n, 0);
        Universe u = in.u;
        if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b)) {
            try {
                return u.integer(exact.apply(Tags.smallIntegerValue(a), Tags.smallIntegerValue(b)));
            } catch (ArithmeticException overflow) {
                // fall through to large integers
            }
        }
        if (u.isDouble(b)) return u.newDouble(dbl.apply(u.doubleValue(toDouble(in, a)), u.doubleValue(b)));
        return u.integer(big.apply(u.bigInteger(a), bigArg(in, b)));
    }

    private static BigInteger bigArg(Interpreter in, long b) {
        if (!in.u.isInteger(b)) throw Args.notNumber(in, b);
        return in.u.bigInteger(b);
    }

    static long toDouble(Interpreter in, long v) {
        return in.u.isDouble(v) ? v : in.u.newDouble(representable(in.u.bigInteger(v)));
    }

    /** An integer as a double; one too large for a double is an error, not infinity. */
    private static double representable(BigInteger b) {
        double d = b.doubleValue();
        if (Double.isInfinite(d)) throw new PrimitiveFailure("Can't represent as double.");
        return d;
    }

    static double number(Interpreter in, long v) {
        if (in.u.isDouble(v)) return in.u.doubleValue(v);
        if (Tags.isSmallInteger(v)) return Tags.smallIntegerValue(v);
        if (in.u.isInteger(v)) return representable(in.u.bigInteger(v));
        throw Args.notNumber(in, v);
    }

    /**
     * {@code a op b} for an Integer and a number: exact between integers; with a Double as IEEE
     * 754 and Double's own comparisons have it (0 = -0.0, and NaN is neither less, greater nor
     * equal), which Double.compare's total order is not.
     */
    private static boolean compare(Interpreter in, long a, long b, String op) {
        if (in.u.isDouble(a) || in.u.isDouble(b)) {
            double x = number(in, a), y = number(in, b);
            return switch (op) { case "<" -> x < y; case ">" -> x > y; case "<=" -> x <= y; case ">=" -> x >= y; default -> x == y; };
        }
        int c = Tags.isSmallInteger(a) && Tags.isSmallInteger(b) ? Long.compare(Tags.smallIntegerValue(a), Tags.smallIntegerValue(b))
                : in.u.bigInteger(a).compareTo(bigArg(in, b));
        return switch (op) { case "<" -> c < 0; case ">" -> c > 0; case "<=" -> c <= 0; case ">=" -> c >= 0; default -> c == 0; };
    }
}
