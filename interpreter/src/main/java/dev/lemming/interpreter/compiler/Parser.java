package dev.lemming.interpreter.compiler;

import dev.lemming.interpreter.compiler.Ast.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static dev.lemming.interpreter.compiler.Token.Kind.*;

/** A recursive-descent parser for SOM class definitions (SOM.g4). */
public final class Parser {
    private final String file, source;
    private final List<Token> tokens;
    private int p;

    private Parser(String file, String source) {
        this.file = file;
        this.source = source;
        this.tokens = Lexer.tokenize(file, source);
    }

    public static ClassDef parseClass(String file, String source) {
        Parser ps = new Parser(file, source);
        ClassDef c = ps.classDef();
        ps.expect(EOF, "nothing after the class definition");
        return c;
    }

    /** A method definition alone (for tests and the REPL-like evaluator). */
    public static MethodDef parseMethod(String file, String source) {
        Parser ps = new Parser(file, source);
        MethodDef m = ps.method();
        ps.expect(EOF, "nothing after the method");
        return m;
    }

    private Token peek() { return tokens.get(p); }
    private Token peek(int k) { return tokens.get(Math.min(p + k, tokens.size() - 1)); }
    private Token next() { return tokens.get(p++); }
    private boolean at(Token.Kind k) { return peek().is(k); }
    private boolean atOp(String op) { return peek().is(OPERATOR, op); }

    private SyntaxError error(Token t, String msg) { return new SyntaxError(file, source, t.line(), t.column(), msg); }

    private Token expect(Token.Kind k, String what) {
        if (!at(k)) throw error(peek(), "expected " + what + " but found " + peek());
        return next();
    }

    private void expectOp(String op) {
        if (!atOp(op)) throw error(peek(), "expected '" + op + "' but found " + peek());
        next();
    }

    private ClassDef classDef() {
        String name = expect(IDENTIFIER, "a class name").text();
        expectOp("=");
        String superclass = "Object";
        if (at(IDENTIFIER)) superclass = next().text();
        expect(LPAREN, "'(' to open the class body");
        List<String> fields = fields();
        List<MethodDef> methods = new ArrayList<>();
        while (!at(SEPARATOR) && !at(RPAREN)) {
            if (at(EOF)) throw error(peek(), "class " + name + " is not closed (missing ')')");
            methods.add(method());
        }
        List<String> classFields = List.of();
        List<MethodDef> classMethods = new ArrayList<>();
        if (at(SEPARATOR)) {
            next();
            classFields = fields();
            while (!at(RPAREN)) {
                if (at(EOF)) throw error(peek(), "class " + name + " is not closed (missing ')')");
                classMethods.add(method());
            }
        }
        expect(RPAREN, "')' to close the class body");
        return new ClassDef(name, superclass, fields, methods, classFields, classMethods, file);
    }

    private List<String> fields() {
        List<String> out = new ArrayList<>();
        if (atOp("|")) {
            next();
            while (at(IDENTIFIER)) {
                Token t = next();
                if (out.contains(t.text())) throw error(t, "Field '" + t.text() + "' has already been defined in this class.");
                out.add(t.text());
            }
            expectOp("|");
        } else if (atOp("||")) {
            next();
        }
        return out;
    }

    private MethodDef method() {
        Token start = peek();
        StringBuilder selector = new StringBuilder();
        List<String> params = new ArrayList<>();
        if (at(IDENTIFIER)) {
            selector.append(next().text());
        } else if (at(OPERATOR)) {
            selector.append(next().text());
            params.add(expect(IDENTIFIER, "an argument name").text());
        } else if (at(KEYWORD)) {
            while (at(KEYWORD)) {
                selector.append(next().text());
                params.add(expect(IDENTIFIER, "an argument name").text());
            }
        } else {
            throw error(peek(), "expected a method pattern but found " + peek());
        }
        expectOp("=");
        if (peek().is(IDENTIFIER, "primitive")) {
            next();
            return new MethodDef(selector.toString(), params, null, start.line(), start.column());
        }
        expect(LPAREN, "'(' to open the method body or 'primitive'");
        Body body = body(RPAREN);
        expect(RPAREN, "')' to close method " + selector);
        return new MethodDef(selector.toString(), params, body, start.line(), start.column());
    }

    private Body body(Token.Kind closer) {
        List<String> locals = new ArrayList<>();
        if (atOp("|")) {
            next();
            while (at(IDENTIFIER)) locals.add(next().text());
            expectOp("|");
        } else if (atOp("||")) {
            next();
        }
        List<Expr> statements = new ArrayList<>();
        while (!at(closer)) {
            if (at(CARET)) {
                Token t = next();
                statements.add(new Return(expression(), t.line()));
                if (at(PERIOD)) next();
                if (!at(closer)) throw error(peek(), "statements after a return cannot run");
                break;
            }
            statements.add(expression());
            if (at(PERIOD)) next();
            else if (!at(closer)) throw error(peek(), "expected '.' or " + (closer == RPAREN ? "')'" : "']'") + " but found " + peek());
        }
        return new Body(locals, statements);
    }

    private Expr expression() {
        if (at(IDENTIFIER) && peek(1).is(ASSIGN)) {
            Token name = next();
            next();
            return new Assign(name.text(), expression(), name.line(), name.column());
        }
        Expr primary = primary();
        return messages(primary);
    }

    private boolean isSuper(Expr e) { return e instanceof Variable v && v.name().equals("super"); }

    private Expr messages(Expr receiver) {
        Expr r = receiver;
        while (at(IDENTIFIER)) r = unary(r);
        while (at(OPERATOR)) r = binary(r);
        if (at(KEYWORD)) r = keyword(r);
        return r;
    }

    private Expr unary(Expr r) {
        Token sel = next();
        return new Send(r, sel.text(), List.of(), isSuper(r), sel.line());
    }

    private Expr binary(Expr r) {
        Token op = next();
        Expr arg = primary();
        while (at(IDENTIFIER)) arg = unary(arg);
        return new Send(r, op.text(), List.of(arg), isSuper(r), op.line());
    }

    private Expr keyword(Expr r) {
        Token first = peek();
        StringBuilder sel = new StringBuilder();
        List<Expr> args = new ArrayList<>();
        while (at(KEYWORD)) {
            sel.append(next().text());
            Expr arg = primary();
            while (at(IDENTIFIER)) arg = unary(arg);
            while (at(OPERATOR)) arg = binary(arg);
            args.add(arg);
        }
        return new Send(r, sel.toString(), args, isSuper(r), first.line());
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case IDENTIFIER -> { next(); return new Variable(t.text(), t.line(), t.column()); }
            case LPAREN -> {
                next();
                Expr e = expression();
                expect(RPAREN, "')'");
                return e;
            }
            case LBRACKET -> { return block(); }
            case POUND, STRING, INTEGER, DOUBLE -> { return new Literal(literal(), t.line()); }
            case OPERATOR -> {
                if (t.text().equals("-") && (peek(1).is(INTEGER) || peek(1).is(DOUBLE))) return new Literal(literal(), t.line());
                throw error(t, "expected an expression but found " + t);
            }
            default -> throw error(t, "expected an expression but found " + t);
        }
    }

    private Expr block() {
        Token open = next();
        List<String> params = new ArrayList<>();
        while (at(COLON)) {
            next();
            params.add(expect(IDENTIFIER, "a block parameter name").text());
        }
        if (!params.isEmpty()) {
            if (atOp("||")) { // [:a || b | ...] : the bar ending the parameters and the one opening the locals
                tokens.set(p, new Token(OPERATOR, "|", peek().line(), peek().column() + 1));
            } else {
                expectOp("|");
            }
        }
        Body body = body(RBRACKET);
        expect(RBRACKET, "']' to close the block");
        return new BlockExpr(params, body, open.line());
    }

    private Object literal() {
        Token t = next();
        switch (t.kind()) {
            case STRING: return t.text();
            case INTEGER: return Ast.integer(new BigInteger(t.text()));
            case DOUBLE: return Double.parseDouble(t.text());
            case OPERATOR: {
                Token n = next();
                if (n.is(INTEGER)) return Ast.integer(new BigInteger(n.text()).negate());
                return -Double.parseDouble(n.text());
            }
            case POUND: {
                Token n = peek();
                switch (n.kind()) {
                    case LPAREN:
                        return literalArray();
                    case STRING, IDENTIFIER, KEYWORD, KEYWORD_SEQUENCE, OPERATOR:
                        next();
                        return new Sym(n.text());
                    default:
                        throw error(n, "expected a symbol or '(' after '#' but found " + n);
                }
            }
            default:
                throw error(t, "expected a literal but found " + t);
        }
    }

    /** ( elements ) after # — or nested inside a literal array, where the # is optional. */
    private LitArray literalArray() {
        next();
        List<Object> elems = new ArrayList<>();
        while (!at(RPAREN)) {
            if (at(EOF)) throw error(peek(), "literal array is not closed");
            elems.add(arrayElement());
        }
        next();
        return new LitArray(elems);
    }

    /** Inside #( ... ): literals, and bare names standing for symbols (true, false, nil are themselves). */
    private Object arrayElement() {
        Token t = peek();
        if (t.is(IDENTIFIER)) {
            next();
            return switch (t.text()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "nil" -> NIL;
                default -> new Sym(t.text());
            };
        }
        if (t.is(KEYWORD) || t.is(KEYWORD_SEQUENCE)) { next(); return new Sym(t.text()); }
        if (t.is(LPAREN)) return literalArray();
        if (t.is(OPERATOR) && !(t.text().equals("-") && (peek(1).is(INTEGER) || peek(1).is(DOUBLE)))) { next(); return new Sym(t.text()); }
        return literal();
    }

    /** nil inside a literal array. */
    public static final Object NIL = new Object() { @Override public String toString() { return "nil"; } };
}
