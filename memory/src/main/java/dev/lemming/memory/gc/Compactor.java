package dev.lemming.memory.gc;

import dev.lemming.memory.FaultInjection;
import dev.lemming.memory.Heap;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.space.OldSpace;
import dev.lemming.memory.space.Segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The old-space collector's second half: slides marked objects toward lower addresses, across
 * segments, never moving a pinned object, then gives back segments left empty.
 *
 * <p>It plans like Spur's planning compactor: each object to move gets its destination written
 * into slot 0, the slot's real value saved in a bounded buffer. When the buffer is full the pass
 * ends there: references are updated, the planned objects move, the space they left is formatted
 * free, and the next pass starts where planning stopped. The multi-pass path is where
 * OpenSmalltalk-VM's compactor once corrupted heaps, so its buffer size is configurable and the
 * tests make it tiny.
 */
public final class Compactor {
    private final Heap heap;
    private final OldSpace old;
    private List<Segment> segs;
    private long[] saved = new long[0];
    private long[] pinStart = new long[16], pinEnd = new long[16];
    private int pinCount;
    /** Space planning skipped (a segment's tail, room before a pinned chunk): formatted free after the move. */
    private long[] gaps = new long[32];
    private int gapCount;
    /** --ffi-check: watched objects' old places are barriers like pinned chunks, and become canaries. */
    private FfiCanaries canaries;

    public Compactor(Heap heap) {
        this.heap = heap;
        this.old = heap.old;
    }

    /** Compacts old space; every live object must be marked, new space must be empty. */
    public void compact() {
        canaries = heap.config.ffiCheck() ? heap.ffiCanaries() : null;
        if (canaries != null) canaries.dropUnmarked();
        segs = new ArrayList<>(old.segments());
        int nseg = segs.size();
        collectPinned();
        int cap = Math.max(1, heap.config.compactionBufferSlots());
        int di = 0, si = 0, pinCursor = 0, passes = 0;
        long dest = segs.get(0).start(), scan = dest;
        boolean done = false;
        while (!done) {
            int passSi = si;
            long passScan = scan;
            int count = 0;
            gapCount = 0;
            done = true;
            while (si < nseg) {
                Segment seg = segs.get(si);
                if (scan >= seg.end()) {
                    if (++si < nseg) scan = segs.get(si).start();
                    continue;
                }
                long oop = Layout.oopAtChunk(scan);
                long end = Layout.chunkEnd(oop);
                long h = Layout.header(oop);
                if (Header.classIndex(h) == ClassIndex.FREE_CHUNK || !Header.isMarked(h)) { scan = end; continue; }
                if (count == 0 && di == si && dest == scan) { dest = end; scan = end; continue; } // already in place
                if (Header.isPinned(h)) { scan = end; continue; }
                if (count == cap) { done = false; break; }
                long size = end - scan;
                while (true) { // the first place at or after dest where the chunk fits
                    Segment ds = segs.get(di);
                    while (pinCursor < pinCount && pinEnd[pinCursor] <= dest) pinCursor++;
                    long limit = ds.end();
                    if (pinCursor < pinCount && pinStart[pinCursor] < limit) limit = pinStart[pinCursor];
                    if (dest + size <= limit) break;
                    addGap(dest, limit);
                    if (limit == ds.end()) dest = segs.get(++di).start();
                    else dest = pinEnd[pinCursor];
                }
                boolean watched = canaries != null && canaries.isWatched(oop);
                if (watched && di == si && dest >= scan) { scan = end; continue; } // no room below its own old place: it stays
                assert di < si || dest <= scan : "compactor destination passed the scan pointer";
                if (watched) canaries.moving(oop, scan, end, dest + (oop - scan));
                if (count == saved.length) saved = Arrays.copyOf(saved, Math.min(cap, Math.max(1024, count * 2)));
                saved[count++] = Layout.fetch(oop, 0);
                Layout.storeRaw(oop, 0, dest + (oop - scan));
                Layout.setHeader(oop, h | Header.FORWARDED_BIT);
                dest += size;
                scan = end;
            }
            if (count > 0) {
                updateReferences(count);
                move(passSi, passScan, si, scan, count, passes++ > 0 && FaultInjection.staleCompactionPass);
                if (canaries != null) canaries.fillPending();
            }
            for (int g = 0; g < gapCount; g += 2) Layout.formatFree(gaps[g], gaps[g + 1] - gaps[g]);
            formatFree(di, dest, si, scan);
            heap.stats.compactionPasses++;
        }
        finish();
        if (canaries != null) canaries.rekey();
    }

    private void addGap(long from, long to) {
        if (to <= from) return;
        if (gapCount == gaps.length) gaps = Arrays.copyOf(gaps, gapCount * 2);
        gaps[gapCount++] = from;
        gaps[gapCount++] = to;
    }

    private void collectPinned() {
        pinCount = 0;
        for (Segment s : segs) {
            for (long chunk = s.start(); chunk < s.end(); ) {
                long oop = Layout.oopAtChunk(chunk);
                long end = Layout.chunkEnd(oop);
                long h = Layout.header(oop);
                boolean barrier = Header.isPinned(h) || canaries != null && canaries.isWatched(oop);
                if (barrier && Header.isMarked(h) && Header.classIndex(h) != ClassIndex.FREE_CHUNK) {
                    if (pinCount == pinStart.length) {
                        pinStart = Arrays.copyOf(pinStart, pinCount * 2);
                        pinEnd = Arrays.copyOf(pinEnd, pinCount * 2);
                    }
                    pinStart[pinCount] = chunk;
                    pinEnd[pinCount++] = end;
                }
                chunk = end;
            }
        }
    }

    private static long forward(long ref) {
        if ((ref & Tags.TAG_MASK) != 0 || ref == 0) return ref;
        return Header.isForwarded(Layout.header(ref)) ? Layout.fetch(ref, 0) : ref;
    }

    /** Points every reference of every live object, and every root, at the planned destinations. */
    private void updateReferences(int count) {
        int k = 0;
        for (Segment s : segs) {
            for (long chunk = s.start(); chunk < s.end(); ) {
                long oop = Layout.oopAtChunk(chunk);
                long end = Layout.chunkEnd(oop);
                long h = Layout.header(oop);
                chunk = end;
                if (Header.classIndex(h) == ClassIndex.FREE_CHUNK || !Header.isMarked(h)) continue;
                if (Header.isForwarded(h)) {
                    long first = saved[k]; // slot 0 is in the buffer while the object is planned
                    long n = Format.isCompiledMethod(Header.format(h))
                            ? 1 + (Tags.smallIntegerValue(first) & Format.LITERAL_COUNT_MASK)
                            : Format.isPointers(Header.format(h)) ? Layout.numSlots(oop) : 0;
                    if (n > 0) saved[k] = forward(first);
                    for (long i = 1; i < n; i++) Layout.storeRaw(oop, i, forward(Layout.fetch(oop, i)));
                    k++;
                } else {
                    long n = Layout.pointerSlots(oop);
                    for (long i = 0; i < n; i++) {
                        long v = Layout.fetch(oop, i);
                        long nv = forward(v);
                        if (nv != v) Layout.storeRaw(oop, i, nv);
                    }
                }
            }
        }
        if (k != count) throw new HeapCorruptionException("compactor: planned " + count + " objects but found " + k + " while updating references");
        heap.forEachRoot(Compactor::forward);
    }

    /** Moves the planned objects of [from, to) in address order; destinations never overtake sources. */
    private void move(int fromSeg, long from, int toSeg, long to, int count, boolean stale) {
        int k = 0;
        for (int si = fromSeg; si < segs.size() && si <= toSeg; si++) {
            Segment s = segs.get(si);
            long chunk = si == fromSeg ? from : s.start();
            long limit = si == toSeg ? to : s.end();
            while (chunk < limit) {
                long oop = Layout.oopAtChunk(chunk);
                long end = Layout.chunkEnd(oop);
                long h = Layout.header(oop);
                if (Header.isForwarded(h) && Header.classIndex(h) != ClassIndex.FREE_CHUNK) {
                    long target = Layout.fetch(oop, 0);
                    Layout.storeRaw(oop, 0, saved[stale ? (k + 1) % count : k]);
                    k++;
                    Layout.setHeader(oop, h & ~Header.FORWARDED_BIT);
                    RawMemory.copy(chunk, target - (oop - chunk), end - chunk);
                    heap.stats.bytesCompacted += end - chunk;
                }
                chunk = end;
            }
        }
        if (k != count) throw new HeapCorruptionException("compactor: planned " + count + " objects but moved " + k);
    }

    /** Formats [from in segment fromSeg, to in segment toSeg) as free space, around pinned chunks. */
    private void formatFree(int fromSeg, long from, int toSeg, long to) {
        for (int si = fromSeg; si < segs.size() && si <= toSeg; si++) {
            Segment s = segs.get(si);
            long start = si == fromSeg ? from : s.start();
            long end = si == toSeg ? to : s.end();
            int p = firstPinEndingAfter(start);
            long cur = start;
            while (p < pinCount && pinStart[p] < end) {
                if (pinStart[p] > cur) Layout.formatFree(cur, pinStart[p] - cur);
                cur = Math.max(cur, pinEnd[p]);
                p++;
            }
            if (end > cur) Layout.formatFree(cur, end - cur);
        }
    }

    private int firstPinEndingAfter(long address) {
        int lo = 0, hi = pinCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pinEnd[mid] <= address) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** Clears the marks, forgets dead pinned objects, unmaps empty segments, rebuilds the free list. */
    private void finish() {
        Set<Long> livePinned = new HashSet<>();
        for (Segment s : segs) {
            boolean empty = true;
            for (long chunk = s.start(); chunk < s.end(); ) {
                long oop = Layout.oopAtChunk(chunk);
                long end = Layout.chunkEnd(oop);
                long h = Layout.header(oop);
                if (Header.classIndex(h) != ClassIndex.FREE_CHUNK) {
                    empty = false;
                    Layout.setHeader(oop, h & ~Header.MARKED_BIT);
                    if (Header.isPinned(h)) livePinned.add(oop);
                }
                chunk = end;
            }
            if (empty && s != segs.get(0)) {
                old.removeSegment(s);
                s.mapping.unmap();
                heap.stats.segmentsReleased++;
            }
        }
        heap.pinnedObjects().retainAll(livePinned);
        old.rebuildFreeList();
    }
}
