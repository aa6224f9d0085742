package dev.lemming.interpreter.compiler;

import java.math.BigInteger;
import java.util.List;

/** The syntax tree the parser builds and the code generator reads. */
public final class Ast {
    private Ast() {}

    public record ClassDef(String name, String superclass, List<String> instanceFields, List<MethodDef> instanceMethods,
                           List<String> classFields, List<MethodDef> classMethods, String file) {}

    /** A method; {@code body} is null for `= primitive`. */
    public record MethodDef(String selector, List<String> parameters, Body body, int line, int column) {
        public boolean isPrimitive() { return body == null; }
    }

    /** Locals and statements of a method or block. */
    public record Body(List<String> locals, List<Expr> statements) {}

    public sealed interface Expr permits Variable, Assign, Send, Literal, BlockExpr, Return {
        int line();
    }

    public record Variable(String name, int line, int column) implements Expr {}
    public record Assign(String name, Expr value, int line, int column) implements Expr {}
    public record Send(Expr receiver, String selector, List<Expr> arguments, boolean toSuper, int line) implements Expr {}
    public record Literal(Object value, int line) implements Expr {}
    public record BlockExpr(List<String> parameters, Body body, int line) implements Expr {}
    /** `^ expr`: a local return in a method, a non-local one in a block. */
    public record Return(Expr value, int line) implements Expr {}

    /** Literal values: Long, BigInteger, Double, String, Sym, or LitArray. */
    public record Sym(String name) {}
    public record LitArray(List<Object> elements) {}

    public static Object integer(BigInteger v) {
        return v.bitLength() < 61 ? (Object) v.longValue() : v;
    }
}
