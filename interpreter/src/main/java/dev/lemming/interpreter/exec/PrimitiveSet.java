package dev.lemming.interpreter.exec;

import dev.lemming.interpreter.runtime.PrimitiveTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The primitives of one VM, by "Class>>selector" (class side: "Class class>>selector"). */
public final class PrimitiveSet implements PrimitiveTable {
    private final Map<String, Integer> numbers = new HashMap<>();
    private final Map<String, Integer> flags = new HashMap<>();
    private final List<Primitive> table = new ArrayList<>(List.of((in, n) -> { throw new IllegalStateException("primitive 0"); }));
    private final List<String> names = new ArrayList<>(List.of("none"));

    public void define(String className, String selector, Primitive p) {
        String key = className + ">>" + selector;
        Integer n = numbers.get(key);
        if (n != null) { table.set(n, p); return; }
        numbers.put(key, table.size());
        table.add(p);
        names.add(key);
    }

    public void flag(String className, String selector, int f) { flags.merge(className + ">>" + selector, f, (a, b) -> a | b); }

    @Override public int primitiveFor(String className, String selector) { return numbers.getOrDefault(className + ">>" + selector, 0); }
    @Override public int flagsFor(String className, String selector) { return flags.getOrDefault(className + ">>" + selector, 0); }

    public Primitive get(int number) { return number > 0 && number < table.size() ? table.get(number) : null; }
    public String name(int number) { return number > 0 && number < names.size() ? names.get(number) : "none"; }
}
