package dev.lemming.interpreter.compiler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A method or a block that is not inlined: it has a frame of its own. Variables of inlined
 * blocks belong to the scope that encloses them.
 */
final class Scope {
    final Scope parent;
    final boolean isMethod;
    final List<Var> args = new ArrayList<>();
    final List<Var> locals = new ArrayList<>();
    /** Some block nested in this method returns non-locally: the method needs a home marker. */
    boolean hasNonLocalReturn;
    int envSlots;     // 0: no environment
    int numTemps;     // frame temps (non-captured locals)

    Scope(Scope parent, boolean isMethod) { this.parent = parent; this.isMethod = isMethod; }

    Scope method() { Scope s = this; while (!s.isMethod) s = s.parent; return s; }
    boolean hasEnv() { return envSlots > 0; }

    /** Assigns frame slots and environment slots once the whole method has been analysed. */
    void layout() {
        int first = dev.lemming.interpreter.bytecode.MethodHeader.ENV_FIRST_VAR, env = first;
        for (Var v : args) if (v.captured) v.envIndex = env++;
        for (Var v : locals) if (v.captured) v.envIndex = env++;
        if (env > first || (isMethod && hasNonLocalReturn)) envSlots = env;
        for (int i = 0; i < args.size(); i++) args.get(i).slot = i;
        int t = 0;
        for (Var v : locals) if (!v.captured) v.slot = args.size() + t++;
        numTemps = t;
    }

    /** How many environments up from the one current in {@code from} holds {@code target}'s. */
    static int depth(Scope from, Scope target) {
        int d = 0;
        for (Scope s = from; s != target; s = s.parent) {
            if (s == null) throw new IllegalStateException("scope is not an ancestor");
            if (s.hasEnv()) d++;
        }
        return d;
    }
}

/** A named variable: an argument or a local of some scope. */
final class Var {
    final String name;
    final Scope owner;
    final boolean isArg;
    boolean captured;
    int slot = -1, envIndex = -1;

    Var(String name, Scope owner, boolean isArg) { this.name = name; this.owner = owner; this.isArg = isArg; }
}

/** Names visible in a lexical block (a scope, or an inlined block inside one). */
final class Lexical {
    final Lexical outer;
    final Map<String, Var> names = new HashMap<>();

    Lexical(Lexical outer) { this.outer = outer; }

    Var lookup(String name) {
        for (Lexical l = this; l != null; l = l.outer) {
            Var v = l.names.get(name);
            if (v != null) return v;
        }
        return null;
    }
}
