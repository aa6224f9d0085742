package dev.lemming.memory.image;

import dev.lemming.memory.gc.HeapCorruptionException;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites references after spaces moved as a whole: an image segment mapped somewhere other
 * than its recorded address, or the heap copied for a --lemming rehearsal. Each moved range
 * [from, from+size) now lives at {@code to}; a reference outside every range is corruption.
 */
public final class Relocator {
    private record Move(long from, long size, long to) {}

    private final List<Move> moves = new ArrayList<>();
    private long[] froms, ends, deltas;

    public void add(long from, long size, long to) { moves.add(new Move(from, size, to)); froms = null; }

    private void index() {
        moves.sort(Comparator.comparingLong(Move::from));
        int n = moves.size();
        froms = new long[n]; ends = new long[n]; deltas = new long[n];
        for (int i = 0; i < n; i++) {
            Move m = moves.get(i);
            froms[i] = m.from; ends[i] = m.from + m.size; deltas[i] = m.to - m.from;
        }
    }

    /** True if nothing moved (every range is where it was recorded). */
    public boolean isIdentity() {
        for (Move m : moves) if (m.from != m.to) return false;
        return true;
    }

    public long relocate(long ref) {
        if ((ref & Tags.TAG_MASK) != 0 || ref == 0) return ref;
        if (froms == null) index();
        int lo = 0, hi = froms.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ref < froms[mid]) hi = mid - 1;
            else if (ref >= ends[mid]) lo = mid + 1;
            else return ref + deltas[mid];
        }
        throw new HeapCorruptionException("reference 0x" + Long.toHexString(ref) + " lies outside every recorded space");
    }

    /** Relocates every reference of every object in [start, end), a walkable range at its new place. */
    public void relocateObjects(long start, long end) {
        for (long chunk = start; chunk < end; ) {
            long oop = Layout.oopAtChunk(chunk);
            long h = Layout.header(oop);
            chunk = Layout.chunkEnd(oop);
            if (Header.classIndex(h) == ClassIndex.FREE_CHUNK) continue;
            long n = Layout.pointerSlots(oop);
            for (long i = 0; i < n; i++) {
                long v = Layout.fetch(oop, i);
                long nv = relocate(v);
                if (nv != v) Layout.storeRaw(oop, i, nv);
            }
        }
    }
}
