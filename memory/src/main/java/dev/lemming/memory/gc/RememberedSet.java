package dev.lemming.memory.gc;

import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;

import java.util.Arrays;

/** Old objects that may hold references into new space: extra roots for the scavenger. */
public final class RememberedSet {
    private long[] entries = new long[1024];
    private int count;

    /** Adds {@code oop} unless its remembered bit says it is in already. */
    public void remember(long oop) {
        long h = Layout.header(oop);
        if (Header.isRemembered(h)) return;
        Layout.setHeader(oop, h | Header.REMEMBERED_BIT);
        if (count == entries.length) entries = Arrays.copyOf(entries, count * 2);
        entries[count++] = oop;
    }

    /** Takes every entry out (clearing their bits); the scavenger re-adds those still pointing young. */
    long[] drainForScavenge() {
        long[] out = Arrays.copyOf(entries, count);
        for (long oop : out) Layout.setHeader(oop, Layout.header(oop) & ~Header.REMEMBERED_BIT);
        count = 0;
        return out;
    }

    public int size() { return count; }
    public long get(int i) { return entries[i]; }
    public void clear() { count = 0; }
}
