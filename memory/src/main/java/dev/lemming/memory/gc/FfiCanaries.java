package dev.lemming.memory.gc;

import dev.lemming.memory.Heap;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * --ffi-check: finds native code that writes through a pointer it kept to an object that has
 * moved since. Every object the FFI pinned only for the duration of a call is watched after
 * the call. When the compactor moves a watched object, the object's old place is not reused:
 * it becomes a canary chunk (an unreachable ByteArray filled with {@link #PATTERN}) that the
 * compactor treats like a pinned object, so a late native write lands in the canary, not in
 * another object. The next full GC (and the end of the run) checks every canary and reports a
 * changed one with the watched object's class and the native function it was passed to; after
 * that check the canary is garbage like any other.
 *
 * <p>Watches live as long as their object; a watched object that is pinned again does not
 * move, so it leaves no canary.
 */
public final class FfiCanaries {
    /** 0xCA 0xFE ... in every byte pair: improbable as data, odd as a tagged value. */
    public static final long PATTERN = 0xCAFECAFECAFECAFEL;

    private record Watch(String what, String function) {}

    private record Canary(long chunk, long end, long slots, String what, String function, long gc) {}

    private final Heap heap;
    /** Current address of each watched object. */
    private Map<Long, Watch> watched = new HashMap<>();
    private final List<Canary> canaries = new ArrayList<>();
    /** Canaries the compactor left in this collection, made into chunks after each move pass. */
    private final List<Canary> pending = new ArrayList<>();
    /** Old address -> new address of the watched objects moved in this collection. */
    private final Map<Long, Long> moves = new HashMap<>();

    public FfiCanaries(Heap heap) {
        this.heap = heap;
    }

    /** After a native call: watch an object that was pinned only for it. */
    public void watch(long oop, String className, String function) {
        watched.put(oop, new Watch(className, function));
    }

    public boolean isWatched(long oop) {
        return watched.containsKey(oop);
    }

    public int watchedCount() { return watched.size(); }

    public int canaryCount() { return canaries.size(); }

    /**
     * Checks every canary and forgets them (their chunks are unreachable, so this collection
     * frees them). Throws with every changed canary named.
     */
    public void checkAndRelease(String when) {
        try {
            check(when);
        } finally {
            canaries.clear();
        }
    }

    /** Checks the canaries without releasing them (at the end of a run). */
    public void check(String when) {
        List<String> problems = changed();
        if (!problems.isEmpty())
            throw new HeapCorruptionException("--ffi-check (" + when + "): " + String.join("; ", problems));
    }

    private List<String> changed() {
        List<String> problems = new ArrayList<>();
        for (Canary c : canaries) {
            long body = Layout.slotAddress(Layout.oopAtChunk(c.chunk), 0);
            int changed = 0;
            long first = -1;
            for (long a = body; a < c.end; a += 8) {
                long v = RawMemory.getLong(a);
                if (v == PATTERN) continue;
                for (int b = 0; b < 8; b++) {
                    if (((v ^ PATTERN) >>> (8 * b) & 0xFF) != 0) {
                        changed++;
                        if (first < 0) first = a - body + b;
                    }
                }
            }
            if (changed > 0)
                problems.add(String.format("native code changed %d byte(s) (the first at offset %d) of the old place of a %s that was passed to %s and moved at full GC #%d (old place 0x%x)",
                        changed, first, c.what, c.function, c.gc, Layout.oopAtChunk(c.chunk)));
        }
        return problems;
    }

    // ---------------------------------------------------------------- the compactor's side

    /** After marking: forget watches of dead objects. */
    void dropUnmarked() {
        watched.keySet().removeIf(oop -> !Header.isMarked(Layout.header(oop)));
    }

    /** The compactor planned watched object {@code oop} (chunk [chunk, end)) to move to {@code to}. */
    void moving(long oop, long chunk, long end, long to) {
        Watch w = watched.get(oop);
        moves.put(oop, to);
        pending.add(new Canary(chunk, end, Layout.numSlots(oop), w.what, w.function, heap.stats.fullGcs + 1));
    }

    /** After a move pass: the old places of the objects it moved become canaries. */
    void fillPending() {
        for (Canary c : pending) {
            // the slot count the object had: the same header shape and chunk size
            long oop = Layout.formatChunk(c.chunk, ClassIndex.BYTE_ARRAY, Format.BYTES, c.slots);
            assert Layout.chunkEnd(oop) == c.end : "canary chunk does not fill the old place";
            RawMemory.fillLongs(Layout.slotAddress(oop, 0), (c.end - Layout.slotAddress(oop, 0)) / 8, PATTERN);
            canaries.add(c);
        }
        pending.clear();
    }

    /** After the compaction: watched objects are known by their new addresses. */
    void rekey() {
        if (moves.isEmpty()) return;
        Map<Long, Watch> next = new HashMap<>();
        for (var e : watched.entrySet()) next.put(moves.getOrDefault(e.getKey(), e.getKey()), e.getValue());
        watched = next;
        moves.clear();
    }
}
