package dev.lemming.memory.space;

import dev.lemming.memory.OutOfHeapException;
import dev.lemming.memory.object.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Old space: segments kept sorted by address, added as the heap grows and unmapped when a
 * compaction leaves them empty. Allocation bumps through the current free chunk; the rest of
 * that chunk is always formatted as a free chunk, so every segment stays walkable.
 */
public final class OldSpace {
    private final List<Segment> segments = new ArrayList<>();
    private long[] starts = new long[0];
    private final long segmentSize;
    private final long maxBytes;

    /** Free chunks (start, end) not yet used for allocation, in address order. */
    private long[] freeStarts = new long[16], freeEnds = new long[16];
    private int freeCount, freeNext;
    private long allocPtr, allocLimit;

    public OldSpace(long segmentSize, long maxBytes) {
        this.segmentSize = Mapping.roundUpToPage(segmentSize);
        this.maxBytes = maxBytes;
    }

    public List<Segment> segments() { return segments; }
    public long segmentSize() { return segmentSize; }
    public long maxBytes() { return maxBytes; }

    public long committedBytes() {
        long n = 0;
        for (Segment s : segments) n += s.size();
        return n;
    }

    public void addSegment(Segment s) {
        segments.add(s);
        segments.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        reindex();
    }

    public void removeSegment(Segment s) {
        segments.remove(s);
        reindex();
    }

    private void reindex() {
        starts = new long[segments.size()];
        for (int i = 0; i < starts.length; i++) starts[i] = segments.get(i).start();
    }

    /** The segment holding {@code address}, or null. */
    public Segment segmentOf(long address) {
        int i = Arrays.binarySearch(starts, address);
        if (i < 0) i = -i - 2;
        if (i < 0) return null;
        Segment s = segments.get(i);
        return s.contains(address) ? s : null;
    }

    public boolean contains(long address) { return segmentOf(address) != null; }

    /** Bump allocation of a chunk; grows the space when no free chunk fits. */
    public long allocateChunk(long bytes) {
        while (true) {
            long p = allocPtr;
            long rest = allocLimit - p - bytes;
            if (rest >= 0) {
                // always on (one load): catches writes through stale references into free space early
                if (!Layout.isFree(Layout.oopAtChunk(p))) throw new dev.lemming.memory.gc.HeapCorruptionException("old space was about to hand out memory that is not free at 0x"
                        + Long.toHexString(p) + " (header 0x" + Long.toHexString(dev.lemming.memory.RawMemory.getLong(p)) + "): something wrote through a stale reference");
                allocPtr = p + bytes;
                if (rest > 0) Layout.formatFree(allocPtr, rest);
                return p;
            }
            if (!nextFreeChunk(bytes)) grow(bytes);
        }
    }

    private boolean nextFreeChunk(long bytes) {
        while (freeNext < freeCount) {
            long s = freeStarts[freeNext], e = freeEnds[freeNext];
            freeNext++;
            if (e - s >= bytes) {
                allocPtr = s;
                allocLimit = e;
                return true;
            }
        }
        return false;
    }

    private void grow(long bytes) {
        long size = Math.max(segmentSize, Mapping.roundUpToPage(bytes));
        if (committedBytes() + size > maxBytes) {
            throw new OutOfHeapException("out of memory: the heap needs " + size + " more bytes but its maximum is "
                    + maxBytes + " bytes (" + (committedBytes() >> 20) + " MB in use); run with a larger --max-heap");
        }
        Segment s = new Segment(Mapping.anonymous(size), false);
        Layout.formatFree(s.start(), s.size());
        addSegment(s);
        allocPtr = s.start();
        allocLimit = s.end();
    }

    /** Bytes still free for allocation without growing. */
    public long freeBytes() {
        long n = allocLimit - allocPtr;
        for (int i = freeNext; i < freeCount; i++) n += freeEnds[i] - freeStarts[i];
        return n;
    }

    /** Forgets the allocation state and rebuilds the free list by walking every segment. */
    public void rebuildFreeList() {
        freeCount = 0;
        freeNext = 0;
        allocPtr = allocLimit = 0;
        for (Segment s : segments) {
            int firstOfSegment = freeCount;
            long chunk = s.start();
            while (chunk < s.end()) {
                long oop = Layout.oopAtChunk(chunk);
                long end = Layout.chunkEnd(oop);
                if (Layout.isFree(oop)) {
                    // coalesce neighbouring free chunks into one range, but never across segments:
                    // mappings are often adjacent, and a chunk must not straddle two of them
                    if (freeCount > firstOfSegment && freeEnds[freeCount - 1] == chunk) freeEnds[freeCount - 1] = end;
                    else addFree(chunk, end);
                }
                chunk = end;
            }
        }
    }

    private void addFree(long s, long e) {
        if (freeCount == freeStarts.length) {
            freeStarts = Arrays.copyOf(freeStarts, freeCount * 2);
            freeEnds = Arrays.copyOf(freeEnds, freeCount * 2);
        }
        freeStarts[freeCount] = s;
        freeEnds[freeCount] = e;
        freeCount++;
    }

    /** Calls {@code visitor} with every object (free chunks excluded) in address order. */
    public void forEachObject(LongConsumer visitor) {
        for (Segment s : List.copyOf(segments)) {
            long chunk = s.start();
            while (chunk < s.end()) {
                long oop = Layout.oopAtChunk(chunk);
                long end = Layout.chunkEnd(oop);
                if (!Layout.isFree(oop)) visitor.accept(oop);
                chunk = end;
            }
        }
    }

    public void unmapAll() {
        for (Segment s : segments) s.mapping.unmap();
        segments.clear();
        reindex();
    }
}
