package dev.lemming.memory.gc;

import dev.lemming.memory.Heap;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.space.Segment;
import dev.lemming.memory.space.YoungSpace;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the whole heap: every chunk well formed, every reference (in objects and roots)
 * pointing at the header of a real object in a live space, every old-to-young reference
 * remembered, every pinned object still where it was pinned, class indices valid. Throws
 * {@link HeapCorruptionException} naming the first problems found.
 */
public final class HeapVerifier {
    private static final int MAX_REPORTED = 10;
    private final Heap heap;
    private final List<String> problems = new ArrayList<>();
    private final List<Range> ranges = new ArrayList<>();
    private boolean wholeHeap = true;

    /** A walkable range and the bitmap of object starts found in it. */
    private record Range(String name, long start, long end, long[] starts) {
        boolean contains(long a) { return a >= start && a < end; }
        void set(long a) { long i = (a - start) >>> 3; starts[(int) (i >>> 6)] |= 1L << (i & 63); }
        boolean isStart(long a) { long i = (a - start) >>> 3; return (starts[(int) (i >>> 6)] & (1L << (i & 63))) != 0; }
    }

    public HeapVerifier(Heap heap) { this.heap = heap; }

    public void verify(String when) {
        verify(when, true);
    }

    /**
     * With {@code wholeHeap} false, only new space is walked: its objects, the roots and the
     * remembered set are checked, and a reference into old space must point into a segment at a
     * header that looks like an object's (old space is not walked, so object starts there are not
     * known). That costs what a scavenge costs, not what the heap weighs.
     */
    public void verify(String when, boolean wholeHeap) {
        YoungSpace y = heap.young;
        addRange("eden", y.edenStart, y.edenTop());
        addRange("survivor", y.pastStart(), y.pastTop());
        this.wholeHeap = wholeHeap;
        if (wholeHeap) for (Segment s : heap.oldSegments()) addRange("old " + s, s.start(), s.end());
        for (Range r : ranges) walk(r);
        if (problems.isEmpty()) {
            for (Range r : ranges) checkReferences(r);
            checkRoots();
            checkRememberedSet();
            if (wholeHeap) checkPinned();
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("heap verification failed " + when + ": " + problems.size() + " problem(s)");
            for (int i = 0; i < Math.min(MAX_REPORTED, problems.size()); i++) sb.append("\n  ").append(problems.get(i));
            throw new HeapCorruptionException(sb.toString());
        }
    }

    private void addRange(String name, long start, long end) {
        long words = Math.max(0, (end - start) >>> 3);
        ranges.add(new Range(name, start, end, new long[(int) ((words + 63) >>> 6) + 1]));
    }

    private void problem(String s) { if (problems.size() < 1000) problems.add(s); }

    private static String hex(long a) { return "0x" + Long.toHexString(a); }

    private void walk(Range r) {
        boolean young = !r.name.startsWith("old");
        int tableSize = heap.classTableSize();
        long chunk = r.start;
        while (chunk < r.end) {
            long oop = Layout.oopAtChunk(chunk);
            if (oop >= r.end) { problem(r.name + ": overflow word at the end of the space at " + hex(chunk)); return; }
            long h = Layout.header(oop);
            long n = Layout.numSlots(oop);
            long end = oop + Layout.bodyBytes(oop, n);
            if (end > r.end || end <= chunk) {
                problem(r.name + ": object at " + hex(oop) + " (header " + hex(h) + ") runs past the end of its space");
                return;
            }
            int ci = Header.classIndex(h);
            if (ci != ClassIndex.FREE_CHUNK) {
                r.set(oop);
                int f = Header.format(h);
                if (!Format.isValid(f)) problem("object at " + hex(oop) + " has invalid format " + f + " (header " + hex(h) + ")");
                if (ClassIndex.isImmediateClass(ci) || ci >= tableSize
                        || (!heap.isBootstrapping() && ci != ClassIndex.NIL && heap.classAt(ci) == heap.nil() && ci >= ClassIndex.FIRST_UNRESERVED))
                    problem("object at " + hex(oop) + " has class index " + ci + " with no class in the class table");
                if (Header.isForwarded(h)) problem("object at " + hex(oop) + " is still marked forwarded");
                if (Header.isMarked(h)) problem("object at " + hex(oop) + " is still marked");
                if (young && (Header.isPinned(h) || Header.isRemembered(h))) problem("young object at " + hex(oop) + " is pinned or remembered");
                if (Format.isCompiledMethod(f)) {
                    long mh = Layout.fetch(oop, 0);
                    if (!Tags.isSmallInteger(mh) || 1 + (Tags.smallIntegerValue(mh) & Format.LITERAL_COUNT_MASK) > n)
                        problem("compiled method at " + hex(oop) + " has a bad method header " + hex(mh));
                }
            } else if (young) {
                problem(r.name + ": free chunk at " + hex(oop) + " in new space");
            }
            chunk = end;
        }
    }

    private boolean isObject(long ref) {
        for (Range r : ranges) if (r.contains(ref)) return r.isStart(ref);
        return !wholeHeap && looksLikeOldObject(ref);
    }

    /** Without a walk of old space: inside a segment, at a header with a valid format and class. */
    private boolean looksLikeOldObject(long ref) {
        if ((ref & 7) != 0 || !heap.old.contains(ref)) return false;
        long h = Layout.header(ref);
        int ci = Header.classIndex(h);
        return ci != ClassIndex.FREE_CHUNK && !ClassIndex.isImmediateClass(ci) && ci < heap.classTableSize() && Format.isValid(Header.format(h));
    }

    private String describe(long ref) {
        for (Range r : ranges) if (r.contains(ref)) return "inside " + r.name + " but not at an object header";
        if (heap.young.contains(ref)) return "in a free part of new space";
        return "outside every space";
    }

    private void checkReferences(Range r) {
        boolean young = !r.name.startsWith("old");
        for (long chunk = r.start; chunk < r.end; ) {
            long oop = Layout.oopAtChunk(chunk);
            long h = Layout.header(oop);
            chunk = Layout.chunkEnd(oop);
            if (Header.classIndex(h) == ClassIndex.FREE_CHUNK) continue;
            long n = Layout.pointerSlots(oop);
            boolean pointsYoung = false;
            for (long i = 0; i < n; i++) {
                long v = Layout.fetch(oop, i);
                if (!Tags.isPointer(v)) continue;
                if (!isObject(v)) {
                    // an old object whose young referent a scavenge moved without telling it was never remembered
                    String cause = !young && heap.young.contains(v) ? " (an old object the scavenger did not update: a missing write barrier?)" : "";
                    problem("slot " + i + " of " + hex(oop) + " (class index " + Header.classIndex(h) + ") holds " + hex(v) + ", " + describe(v) + cause);
                } else if (heap.young.contains(v)) {
                    pointsYoung = true;
                }
            }
            if (!young && pointsYoung && !Header.isRemembered(h))
                problem("old object " + hex(oop) + " (class index " + Header.classIndex(h) + ") refers to new space but is not remembered (missing write barrier?)");
        }
    }

    private void checkRoots() {
        int[] index = {0};
        heap.forEachRoot(v -> {
            if (Tags.isPointer(v) && !isObject(v)) problem("root #" + index[0] + " holds " + hex(v) + ", " + describe(v));
            index[0]++;
            return v;
        });
    }

    private void checkRememberedSet() {
        var rs = heap.remembered;
        for (int i = 0; i < rs.size(); i++) {
            long oop = rs.get(i);
            if (!heap.old.contains(oop) || !isObject(oop)) problem("remembered set entry " + hex(oop) + " is not an old object");
            else if (!Header.isRemembered(Layout.header(oop))) problem("remembered set entry " + hex(oop) + " (class index "
                    + Header.classIndex(Layout.header(oop)) + ", header " + hex(Layout.header(oop)) + ") lacks its remembered bit");
        }
    }

    private void checkPinned() {
        for (long oop : heap.pinnedObjects()) {
            if (!isObject(oop) || !Header.isPinned(Layout.header(oop)))
                problem("pinned object " + hex(oop) + " is no longer at its address (a pinned object moved)");
        }
    }
}
