package dev.lemming.interpreter.exec;

import java.util.Arrays;

/** Method address to mirror, open addressing without boxing: hit on every block evaluation. */
final class MirrorTable {
    private long[] keys = new long[1024];
    private MethodMirror[] values = new MethodMirror[1024];
    private int size;

    private static int hash(long key, int mask) { return (int) ((key >>> 3) * 0x9E3779B97F4A7C15L >>> 40) & mask; }

    MethodMirror get(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == 0) return null;
        }
    }

    void put(long key, MethodMirror value) {
        if (2 * (size + 1) > keys.length) grow();
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (keys[i] != 0 && keys[i] != key) i = (i + 1) & mask;
        if (keys[i] == 0) size++;
        keys[i] = key;
        values[i] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        MethodMirror[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new MethodMirror[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != 0) put(oldKeys[i], oldValues[i]);
    }

    void clear() { Arrays.fill(keys, 0); Arrays.fill(values, null); size = 0; }
}
