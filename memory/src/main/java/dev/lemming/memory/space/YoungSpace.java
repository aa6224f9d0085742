package dev.lemming.memory.space;

import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Layout;

/**
 * New space: one mapping cut into eden and two survivor spaces. Objects are born in eden by
 * bumping a pointer; the scavenger copies survivors into the future survivor space, then the
 * roles of the survivors swap. Every part is walkable from its start up to its fill pointer.
 */
public final class YoungSpace {
    public final Mapping mapping;
    public final long edenStart, edenEnd;
    private final long[] survivorStart = new long[2];
    public final long survivorSize;
    private int past;           // index of the survivor holding last scavenge's survivors
    private long edenTop;
    private long pastTop;

    public YoungSpace(Mapping mapping, long edenSize, long survivorSize) {
        this.mapping = mapping;
        this.edenStart = mapping.start;
        this.edenEnd = edenStart + edenSize;
        this.survivorSize = survivorSize;
        survivorStart[0] = edenEnd;
        survivorStart[1] = edenEnd + survivorSize;
        if (survivorStart[1] + survivorSize > mapping.end()) throw new IllegalArgumentException("young mapping too small");
        edenTop = edenStart;
        past = 0;
        pastTop = survivorStart[0];
    }

    public static YoungSpace create(long edenSize, long survivorSize) {
        edenSize = Mapping.roundUpToPage(edenSize);
        survivorSize = Mapping.roundUpToPage(survivorSize);
        return new YoungSpace(Mapping.anonymous(edenSize + 2 * survivorSize), edenSize, survivorSize);
    }

    public boolean contains(long address) { return address >= edenStart && address < mapping.end(); }

    /** Bump allocation in eden; answers 0 when eden is full. */
    public long allocateChunk(long bytes) {
        long top = edenTop;
        if (top + bytes > edenEnd) return 0;
        edenTop = top + bytes;
        return top;
    }

    public long edenTop() { return edenTop; }

    /** Machine code allocated in eden up to {@code top} (it bumps its own copy of the pointer while it runs). */
    public void setEdenTop(long top) {
        if (top < edenStart || top > edenEnd) throw new IllegalStateException("eden top outside eden: " + Long.toHexString(top));
        edenTop = top;
    }
    public long edenFree() { return edenEnd - edenTop; }
    public long pastStart() { return survivorStart[past]; }
    public long pastTop() { return pastTop; }
    public long futureStart() { return survivorStart[1 - past]; }
    public long futureEnd() { return survivorStart[1 - past] + survivorSize; }
    public int pastIndex() { return past; }

    /** After a scavenge: eden is empty and the future survivor, filled up to {@code top}, becomes the past one. */
    public void flip(long futureTop, boolean poison) {
        if (poison) {
            poison(edenStart, edenTop);
            poison(pastStart(), pastTop);
        }
        edenTop = edenStart;
        past = 1 - past;
        pastTop = futureTop;
    }

    /** Restores a recorded state (image replay, heap clone). */
    public void restore(long edenTop, int past, long pastTop) {
        this.edenTop = edenTop;
        this.past = past;
        this.pastTop = pastTop;
    }

    /** Stale references into freed young memory then hit headers the verifier rejects. */
    private static void poison(long from, long to) {
        RawMemory.fillLongs(from, (to - from) / Layout.WORD, POISON);
    }
    public static final long POISON = 0xBADC0DE_BADC0DEL & ~0xFFL | 0x40;

    public long usedBytes() { return (edenTop - edenStart) + (pastTop - pastStart()); }
    public long capacity() { return edenEnd - edenStart; }
}
