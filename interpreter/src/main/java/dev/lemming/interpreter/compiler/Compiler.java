package dev.lemming.interpreter.compiler;

import dev.lemming.interpreter.compiler.Ast.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static dev.lemming.interpreter.bytecode.Bytecodes.*;

/**
 * Compiles one method: a first pass finds which variables blocks capture and which blocks are
 * inlined (ifTrue:, whileTrue:, to:do:, and:, or:, ifNil: ... with literal blocks), a second
 * pass emits bytecodes. Captured variables live in heap environments; the rest in the frame.
 */
public final class Compiler {
    private final String file, source;
    /** Instance variable names by slot; null for hidden slots (a class's own). */
    private final List<String> fields;
    private final Map<Object, Var> resolved = new IdentityHashMap<>();
    private final Map<BlockExpr, Scope> realBlocks = new IdentityHashMap<>();
    private final Map<BlockExpr, List<Var>> inlinedParams = new IdentityHashMap<>();
    /** Hidden loop-limit variables of inlined to:do: sends. */
    private final Map<Send, Var> loopLimits = new IdentityHashMap<>();
    private final List<Scope> scopes = new ArrayList<>();

    private Compiler(String file, String source, List<String> fields) {
        this.file = file;
        this.source = source;
        this.fields = fields;
    }

    public static CompiledCode compile(String file, String source, MethodDef m, List<String> fields) {
        Compiler c = new Compiler(file, source, fields);
        if (m.isPrimitive()) {
            return new CompiledCode(m.selector(), false, true, m.parameters().size(), 0, 0, 1,
                    new byte[]{(byte) RETURN_SELF}, List.of(), new int[]{m.line()}, file, m.line());
        }
        Scope s = c.analyzeMethod(m);
        for (Scope sc : c.scopes) sc.layout();
        return c.new Gen(s, m.selector(), m.line()).method(m);
    }

    private SyntaxError error(int line, int column, String msg) { return new SyntaxError(file, source, line, column, msg); }

    // ------------------------------------------------------------------ pass 1: analysis

    private Scope analyzeMethod(MethodDef m) {
        Scope s = new Scope(null, true);
        scopes.add(s);
        Lexical lex = new Lexical(null);
        for (String p : m.parameters()) declare(lex, s, p, true, m.line());
        for (String l : m.body().locals()) declare(lex, s, l, false, m.line());
        for (Expr e : m.body().statements()) analyze(e, lex, s);
        return s;
    }

    private Var declare(Lexical lex, Scope s, String name, boolean isArg, int line) {
        if (lex.names.containsKey(name)) throw error(line, 1, "'" + name + "' is declared twice");
        Var v = new Var(name, s, isArg);
        lex.names.put(name, v);
        (isArg ? s.args : s.locals).add(v);
        return v;
    }

    private static boolean isPseudo(String n) {
        return n.equals("self") || n.equals("super") || n.equals("nil") || n.equals("true") || n.equals("false");
    }

    private void analyze(Expr e, Lexical lex, Scope s) {
        switch (e) {
            case Variable v -> {
                if (isPseudo(v.name())) return;
                Var var = lex.lookup(v.name());
                if (var != null) {
                    if (var.owner != s) var.captured = true;
                    resolved.put(v, var);
                }
            }
            case Assign a -> {
                if (isPseudo(a.name())) throw error(a.line(), a.column(), "cannot assign to " + a.name());
                Var var = lex.lookup(a.name());
                if (var != null) {
                    if (var.owner != s) var.captured = true;
                    resolved.put(a, var);
                } else if (fieldIndex(a.name()) < 0) {
                    throw error(a.line(), a.column(), "cannot assign to '" + a.name() + "': it is not a local, an argument or a field");
                }
                analyze(a.value(), lex, s);
            }
            case Return r -> {
                analyze(r.value(), lex, s);
                if (!s.isMethod) s.method().hasNonLocalReturn = true;
            }
            case Literal l -> { }
            case BlockExpr b -> {
                Scope bs = new Scope(s, false);
                scopes.add(bs);
                realBlocks.put(b, bs);
                Lexical bl = new Lexical(lex);
                for (String p : b.parameters()) declare(bl, bs, p, true, b.line());
                for (String l : b.body().locals()) declare(bl, bs, l, false, b.line());
                for (Expr x : b.body().statements()) analyze(x, bl, bs);
            }
            case Send send -> {
                if (inlinable(send)) {
                    if (send.receiver() instanceof BlockExpr rb && isWhile(send.selector())) analyzeInlined(rb, lex, s);
                    else analyze(send.receiver(), lex, s);
                    for (Expr a : send.arguments()) {
                        if (a instanceof BlockExpr b) analyzeInlined(b, lex, s);
                        else analyze(a, lex, s);
                    }
                    if (isLoop(send.selector())) {
                        Var limit = new Var("to:do: limit", s, false);
                        s.locals.add(limit);
                        loopLimits.put(send, limit);
                    }
                } else {
                    analyze(send.receiver(), lex, s);
                    for (Expr a : send.arguments()) analyze(a, lex, s);
                }
            }
        }
    }

    /** An inlined block's parameters and locals become locals of the enclosing scope. */
    private void analyzeInlined(BlockExpr b, Lexical lex, Scope s) {
        Lexical il = new Lexical(lex);
        List<Var> params = new ArrayList<>();
        for (String p : b.parameters()) params.add(declare(il, s, p, false, b.line()));
        for (String l : b.body().locals()) declare(il, s, l, false, b.line());
        inlinedParams.put(b, params);
        for (Expr x : b.body().statements()) analyze(x, il, s);
    }

    private static boolean isWhile(String sel) { return sel.equals("whileTrue:") || sel.equals("whileFalse:"); }
    private static boolean isLoop(String sel) { return sel.equals("to:do:") || sel.equals("downTo:do:"); }

    private static boolean block(Expr e, int params) {
        return e instanceof BlockExpr b && b.parameters().size() == params;
    }

    static boolean inlinable(Send s) {
        if (s.toSuper()) return false;
        List<Expr> a = s.arguments();
        return switch (s.selector()) {
            // && and || answer `self and:`/`or:` in every SOM library: with a literal block they are inlined alike
            case "ifTrue:", "ifFalse:", "and:", "or:", "&&", "||", "ifNil:" -> block(a.get(0), 0);
            case "ifTrue:ifFalse:", "ifFalse:ifTrue:" -> block(a.get(0), 0) && block(a.get(1), 0);
            case "ifNotNil:" -> block(a.get(0), 0) || block(a.get(0), 1);
            case "ifNil:ifNotNil:" -> block(a.get(0), 0) && (block(a.get(1), 0) || block(a.get(1), 1));
            case "ifNotNil:ifNil:" -> (block(a.get(0), 0) || block(a.get(0), 1)) && block(a.get(1), 0);
            case "whileTrue:", "whileFalse:" -> block(s.receiver(), 0) && block(a.get(0), 0);
            case "to:do:", "downTo:do:" -> block(a.get(1), 1);
            default -> false;
        };
    }

    private int fieldIndex(String name) { return fields.lastIndexOf(name); }

    // ------------------------------------------------------------------ pass 2: code

    private final class Gen {
        final Scope scope;
        final String selector;
        final int line;
        final ByteArrayOutputStream code = new ByteArrayOutputStream();
        final List<Object> literals = new ArrayList<>();
        int[] lines = new int[64];
        int depth, maxDepth, currentLine;

        Gen(Scope scope, String selector, int line) { this.scope = scope; this.selector = selector; this.line = line; currentLine = line; }

        CompiledCode method(MethodDef m) {
            prologue();
            List<Expr> stmts = m.body().statements();
            for (Expr e : stmts) statement(e);
            if (stmts.isEmpty() || !(stmts.get(stmts.size() - 1) instanceof Return)) op(RETURN_SELF, 0);
            return finish(false);
        }

        CompiledCode block(BlockExpr b) {
            prologue();
            List<Expr> stmts = b.body().statements();
            if (stmts.isEmpty()) { op(PUSH_NIL, 1); op(RETURN_LOCAL, -1); return finish(true); }
            for (int i = 0; i < stmts.size() - 1; i++) statement(stmts.get(i));
            Expr last = stmts.get(stmts.size() - 1);
            if (last instanceof Return) statement(last);
            else { expr(last); op(RETURN_LOCAL, -1); }
            return finish(true);
        }

        private CompiledCode finish(boolean isBlock) {
            byte[] bc = code.toByteArray();
            if (lines.length < bc.length) lines = Arrays.copyOf(lines, bc.length);
            for (int i = 1; i < bc.length; i++) if (lines[i] == 0) lines[i] = lines[i - 1]; // operand bytes
            return new CompiledCode(selector, isBlock, false, scope.args.size(), scope.numTemps, scope.envSlots,
                    Math.max(maxDepth, 1), bc, literals, Arrays.copyOf(lines, bc.length), file, line);
        }

        /** Captured arguments move into the environment before anything else runs. */
        private void prologue() {
            for (Var v : scope.args) {
                if (v.captured) { op(PUSH_LOCAL, 1); u8(v.slot); op(POP_ENV, -1); u8(0); u8(v.envIndex); }
            }
        }

        // -------- emitting

        private void op(int opcode, int stackEffect) {
            int at = code.size();
            if (at >= lines.length) lines = Arrays.copyOf(lines, at * 2);
            lines[at] = currentLine;
            code.write(opcode);
            depth += stackEffect;
            maxDepth = Math.max(maxDepth, depth);
        }
        private void u8(int v) {
            if (v < 0 || v > 255) throw error(currentLine, 1, "method too large (an operand of " + v + " does not fit a byte)");
            code.write(v);
        }
        private void u16(int v) {
            if (v < 0 || v > 65535) throw error(currentLine, 1, "method too large (jump or literal index " + v + ")");
            code.write(v & 0xFF);
            code.write(v >>> 8);
        }
        private int literal(Object value) {
            for (int i = 0; i < literals.size(); i++) {
                Object l = literals.get(i);
                if (l == value || (!(value instanceof CompiledCode) && l.equals(value) && l.getClass() == value.getClass())) return i + dev.lemming.interpreter.bytecode.MethodHeader.FIRST_LITERAL;
            }
            literals.add(value);
            return literals.size() - 1 + dev.lemming.interpreter.bytecode.MethodHeader.FIRST_LITERAL;
        }
        /** Emits a forward jump; answers where its offset is, for {@link #patch}. */
        private int jump(int opcode, int stackEffect) {
            op(opcode, stackEffect);
            int at = code.size();
            u16(0);
            return at;
        }
        private void patch(int at) {
            byte[] b = code.toByteArray();
            int distance = b.length - (at + 2);
            if (distance > 65535) throw error(currentLine, 1, "method too large (a jump of " + distance + " bytes)");
            b[at] = (byte) distance;
            b[at + 1] = (byte) (distance >>> 8);
            code.reset();
            code.writeBytes(b);
        }
        private void jumpBack(int target) {
            op(JUMP_BACK, 0);
            u16(code.size() + 2 - target);
        }

        // -------- statements and expressions

        private void statement(Expr e) {
            currentLine = e.line();
            if (e instanceof Return r) { ret(r); return; }
            if (e instanceof Assign a) { assign(a, true); return; }
            if (e instanceof Send s && inlinable(s) && inlinedForEffect(s)) return;
            expr(e);
            op(POP, -1);
        }

        /** The statements of an inlined block whose value nobody uses: nothing is left on the stack. */
        private void effectBody(BlockExpr b) {
            for (Expr e : b.body().statements()) statement(e);
        }

        /**
         * A control-flow send in statement position, compiled without its value (no nil pushed
         * to be popped, no value kept from a loop's body); false for those compiled as values.
         */
        private boolean inlinedForEffect(Send s) {
            List<Expr> a = s.arguments();
            switch (s.selector()) {
                case "ifTrue:", "ifFalse:" -> {
                    List<Integer> skip = branch(s.receiver(), s.selector().equals("ifFalse:"));
                    effectBody((BlockExpr) a.get(0));
                    skip.forEach(this::patch);
                }
                case "ifTrue:ifFalse:", "ifFalse:ifTrue:" -> {
                    List<Integer> other = branch(s.receiver(), s.selector().startsWith("ifFalse"));
                    effectBody((BlockExpr) a.get(0));
                    int end = jump(JUMP, 0);
                    other.forEach(this::patch);
                    effectBody((BlockExpr) a.get(1));
                    patch(end);
                }
                case "whileTrue:", "whileFalse:" -> {
                    int top = code.size();
                    List<Integer> exits = new ArrayList<>();
                    branchOnBody((BlockExpr) s.receiver(), s.selector().equals("whileFalse:"), exits);
                    effectBody((BlockExpr) a.get(0));
                    jumpBack(top);
                    exits.forEach(this::patch);
                }
                default -> { return false; }
            }
            return true;
        }

        private void ret(Return r) {
            currentLine = r.line();
            if (scope.isMethod) {
                if (r.value() instanceof Variable v && v.name().equals("self")) { op(RETURN_SELF, 0); return; }
                expr(r.value());
                op(RETURN_LOCAL, -1);
            } else {
                expr(r.value());
                op(RETURN_NON_LOCAL, -1);
                u8(Scope.depth(scope, scope.method()));
            }
        }

        private void expr(Expr e) {
            currentLine = e.line();
            switch (e) {
                case Variable v -> load(v);
                case Assign a -> assign(a, false);
                case Literal l -> literalValue(l.value());
                case BlockExpr b -> {
                    Scope bs = realBlocks.get(b);
                    CompiledCode inner = new Gen(bs, selector, b.line()).block(b);
                    op(PUSH_BLOCK, 1);
                    u16(literal(inner));
                }
                case Send s -> send(s);
                case Return r -> throw error(r.line(), 1, "a return cannot be used as a value");
            }
        }

        private void literalValue(Object v) {
            if (v instanceof Long n && n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
                op(PUSH_SMALL_INT, 1);
                u16((int) (n & 0xFFFF));
            } else {
                op(PUSH_LITERAL, 1);
                u16(literal(v));
            }
        }

        private void load(Variable v) {
            switch (v.name()) {
                case "self", "super" -> { op(PUSH_SELF, 1); return; }
                case "nil" -> { op(PUSH_NIL, 1); return; }
                case "true" -> { op(PUSH_TRUE, 1); return; }
                case "false" -> { op(PUSH_FALSE, 1); return; }
                default -> { }
            }
            Var var = resolved.get(v);
            if (var != null) { loadVar(var); return; }
            int f = fieldIndex(v.name());
            if (f >= 0) { op(PUSH_FIELD, 1); u8(f); return; }
            op(PUSH_GLOBAL, 1);
            u16(literal(new Sym(v.name())));
        }

        private void loadVar(Var var) {
            if (!var.captured) {
                if (var.owner != scope) throw new IllegalStateException("uncaptured variable " + var.name + " used from another scope");
                op(PUSH_LOCAL, 1); u8(var.slot);
            } else {
                op(PUSH_ENV, 1); u8(Scope.depth(scope, var.owner)); u8(var.envIndex);
            }
        }

        /** Stores the stack top into {@code var}; pops it when {@code pop}. */
        private void storeVar(Var var, boolean pop) {
            if (!var.captured) { op(pop ? POP_LOCAL : STORE_LOCAL, pop ? -1 : 0); u8(var.slot); }
            else { op(pop ? POP_ENV : STORE_ENV, pop ? -1 : 0); u8(Scope.depth(scope, var.owner)); u8(var.envIndex); }
        }

        private void assign(Assign a, boolean pop) {
            expr(a.value());
            currentLine = a.line();
            Var var = resolved.get(a);
            if (var != null) { storeVar(var, pop); return; }
            op(pop ? POP_FIELD : STORE_FIELD, pop ? -1 : 0);
            u8(fieldIndex(a.name()));
        }

        private void send(Send s) {
            if (inlinable(s)) { inlined(s); return; }
            expr(s.receiver());
            for (Expr a : s.arguments()) expr(a);
            currentLine = s.line();
            int n = s.arguments().size();
            op(s.toSuper() ? SUPER_SEND : specialSend(s.selector()), -n);
            u16(literal(new Sym(s.selector())));
            u8(n);
        }

        /**
         * Code that jumps when {@code cond} is {@code when} and falls through otherwise; answers
         * the jumps, for the caller to patch. An inlined and:/or: (&&, ||) becomes two branches,
         * so no Boolean is pushed only to be tested again (`(a and: [b]) ifTrue: [...]` was
         * a; jump_if_false; b; jump; push_false; jump_if_false), and the JIT fuses a comparison
         * in either operand with its branch. Every operand is still tested by a conditional
         * jump, so one that is no Boolean is the same error as before.
         */
        private List<Integer> branch(Expr cond, boolean when) {
            List<Integer> exits = new ArrayList<>();
            branch(cond, when, exits);
            return exits;
        }

        private void branch(Expr cond, boolean when, List<Integer> exits) {
            if (cond instanceof Send s && inlinable(s) && switch (s.selector()) { case "and:", "&&", "or:", "||" -> true; default -> false; }) {
                boolean and = s.selector().equals("and:") || s.selector().equals("&&");
                BlockExpr right = (BlockExpr) s.arguments().get(0);
                if (and != when) { // either operand decides alone: (a and: [b]) jumps on false when a or b is false
                    branch(s.receiver(), when, exits);
                    branchOnBody(right, when, exits);
                } else {           // the receiver decides the other way: the right operand is skipped
                    List<Integer> skip = branch(s.receiver(), !when);
                    branchOnBody(right, when, exits);
                    skip.forEach(this::patch);
                }
                return;
            }
            expr(cond);
            currentLine = cond.line();
            exits.add(jump(when ? JUMP_IF_TRUE : JUMP_IF_FALSE, -1));
        }

        /** An inlined block's statements, then a branch on its value (see branch). */
        private void branchOnBody(BlockExpr b, boolean when, List<Integer> exits) {
            List<Expr> stmts = b.body().statements();
            if (stmts.isEmpty()) { op(PUSH_NIL, 1); exits.add(jump(when ? JUMP_IF_TRUE : JUMP_IF_FALSE, -1)); return; }
            for (int i = 0; i < stmts.size() - 1; i++) statement(stmts.get(i));
            Expr last = stmts.get(stmts.size() - 1);
            if (last instanceof Return r) ret(r); // what follows is not reached
            else branch(last, when, exits);
        }

        /** The body of an inlined block: its value is left on the stack. */
        private void inlineBody(BlockExpr b) {
            List<Expr> stmts = b.body().statements();
            if (stmts.isEmpty()) { op(PUSH_NIL, 1); return; }
            for (int i = 0; i < stmts.size() - 1; i++) statement(stmts.get(i));
            Expr last = stmts.get(stmts.size() - 1);
            if (last instanceof Return r) { ret(r); op(PUSH_NIL, 1); } // unreachable value keeps the depth balanced
            else expr(last);
        }

        private void inlined(Send s) {
            List<Expr> a = s.arguments();
            switch (s.selector()) {
                case "ifTrue:", "ifFalse:" -> {
                    List<Integer> skip = branch(s.receiver(), s.selector().equals("ifFalse:"));
                    inlineBody((BlockExpr) a.get(0));
                    int end = jump(JUMP, -1);
                    skip.forEach(this::patch);
                    op(PUSH_NIL, 1);
                    patch(end);
                }
                case "ifTrue:ifFalse:", "ifFalse:ifTrue:" -> {
                    List<Integer> other = branch(s.receiver(), s.selector().startsWith("ifFalse"));
                    inlineBody((BlockExpr) a.get(0));
                    int end = jump(JUMP, -1);
                    other.forEach(this::patch);
                    inlineBody((BlockExpr) a.get(1));
                    patch(end);
                }
                case "and:", "or:", "&&", "||" -> {
                    boolean and = s.selector().equals("and:") || s.selector().equals("&&");
                    expr(s.receiver());
                    int shortCut = jump(and ? JUMP_IF_FALSE : JUMP_IF_TRUE, -1);
                    inlineBody((BlockExpr) a.get(0));
                    int end = jump(JUMP, -1);
                    patch(shortCut);
                    op(and ? PUSH_FALSE : PUSH_TRUE, 1);
                    patch(end);
                }
                case "ifNil:" -> {
                    expr(s.receiver());
                    op(DUP, 1);
                    int end = jump(JUMP_IF_NOT_NIL, -1);
                    op(POP, -1);
                    inlineBody((BlockExpr) a.get(0));
                    patch(end);
                }
                case "ifNotNil:" -> {
                    expr(s.receiver());
                    op(DUP, 1);
                    int end = jump(JUMP_IF_NIL, -1);
                    notNilBody((BlockExpr) a.get(0));
                    patch(end);
                }
                case "ifNil:ifNotNil:", "ifNotNil:ifNil:" -> {
                    boolean nilFirst = s.selector().startsWith("ifNil");
                    BlockExpr nilBlock = (BlockExpr) a.get(nilFirst ? 0 : 1), notNil = (BlockExpr) a.get(nilFirst ? 1 : 0);
                    expr(s.receiver());
                    op(DUP, 1);
                    int toNotNil = jump(JUMP_IF_NOT_NIL, -1);
                    op(POP, -1);
                    inlineBody(nilBlock);
                    int end = jump(JUMP, -1);
                    patch(toNotNil);
                    notNilBody(notNil);
                    patch(end);
                }
                case "whileTrue:", "whileFalse:" -> {
                    inlinedForEffect(s); // the loop, then its value
                    op(PUSH_NIL, 1);
                }
                case "to:do:", "downTo:do:" -> {
                    boolean up = s.selector().equals("to:do:");
                    BlockExpr body = (BlockExpr) a.get(1);
                    Var i = inlinedParams.get(body).get(0), limit = loopLimits.get(s);
                    expr(s.receiver());
                    op(DUP, 1);           // the receiver stays below the loop: it is the send's value
                    storeVar(i, true);
                    expr(a.get(0));
                    storeVar(limit, true);
                    int top = code.size();
                    loadVar(i);
                    loadVar(limit);
                    op(up ? SEND_LE : SEND_GE, -1);
                    u16(literal(new Sym(up ? "<=" : ">="))); u8(1);
                    int exit = jump(JUMP_IF_FALSE, -1);
                    effectBody(body);
                    loadVar(i);
                    op(PUSH_SMALL_INT, 1); u16(1);
                    op(up ? SEND_ADD : SEND_SUB, -1);
                    u16(literal(new Sym(up ? "+" : "-"))); u8(1);
                    storeVar(i, true);
                    jumpBack(top);
                    patch(exit);
                }
                default -> throw new IllegalStateException(s.selector());
            }
        }

        /** The not-nil branch: the receiver is on the stack; a block parameter takes it. */
        private void notNilBody(BlockExpr b) {
            List<Var> params = inlinedParams.get(b);
            if (params.isEmpty()) op(POP, -1);
            else storeVar(params.get(0), true);
            inlineBody(b);
        }
    }
}
