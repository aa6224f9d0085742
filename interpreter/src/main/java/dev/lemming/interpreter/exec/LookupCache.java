package dev.lemming.interpreter.exec;

import java.util.Arrays;

/** The global method cache: (class index, selector) to method, direct-mapped as in Cog. */
final class LookupCache {
    private static final int SIZE = 4096;
    private final int[] classes = new int[SIZE];
    private final long[] selectors = new long[SIZE];
    private final MethodMirror[] methods = new MethodMirror[SIZE];

    LookupCache() { clear(); }

    private static int slot(int classIndex, long selector) {
        return (int) ((selector >>> 3) ^ (selector >>> 15) ^ classIndex * 0x9E3779B1L) & (SIZE - 1);
    }

    MethodMirror get(int classIndex, long selector) {
        int i = slot(classIndex, selector);
        return classes[i] == classIndex && selectors[i] == selector ? methods[i] : null;
    }

    void put(int classIndex, long selector, MethodMirror m) {
        int i = slot(classIndex, selector);
        classes[i] = classIndex;
        selectors[i] = selector;
        methods[i] = m;
    }

    void clear() {
        Arrays.fill(classes, -1);
        Arrays.fill(methods, null);
    }
}
