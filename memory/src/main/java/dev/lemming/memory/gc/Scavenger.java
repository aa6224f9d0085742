package dev.lemming.memory.gc;

import dev.lemming.memory.Heap;
import dev.lemming.memory.OutOfHeapException;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.space.OldSpace;
import dev.lemming.memory.space.YoungSpace;

import java.util.Arrays;

/**
 * The young collector: Cheney's copying scavenge of eden and the past survivor space into the
 * future survivor space, tenuring objects that are old enough (or that do not fit) into old
 * space. Roots are the heap's roots plus the remembered set. A copied object leaves its old
 * header marked forwarded with the new address in slot 0.
 */
public final class Scavenger {
    private final Heap heap;
    private final YoungSpace young;
    private final OldSpace old;

    private long futureTop, futureEnd;
    private long[] tenured = new long[256];
    private int tenuredCount;
    private boolean tenureAll;
    private long tenureTarget;

    public Scavenger(Heap heap) {
        this.heap = heap;
        this.young = heap.young;
        this.old = heap.old;
    }

    /**
     * @param tenureAll    move every live young object to old space (before a full GC)
     * @param tenureTarget a young object to move to old space whatever its age (0 for none)
     */
    public void scavenge(boolean tenureAll, long tenureTarget) {
        this.tenureAll = tenureAll;
        this.tenureTarget = tenureTarget;
        long youngUsed = young.usedBytes();
        if (old.maxBytes() - old.committedBytes() + old.freeBytes() < (tenureAll ? youngUsed : 0)) {
            throw new OutOfHeapException("out of memory: no room in old space for the " + youngUsed
                    + " bytes of new space (maximum heap " + old.maxBytes() + " bytes); run with a larger --max-heap");
        }
        futureTop = young.futureStart();
        futureEnd = young.futureEnd();
        long scan = futureTop;
        tenuredCount = 0;

        heap.forEachRoot(this::copy);
        for (long oop : heap.remembered.drainForScavenge()) scanOld(oop);

        while (true) {
            while (scan < futureTop) {
                long oop = Layout.oopAtChunk(scan);
                scanYoung(oop);
                scan = Layout.chunkEnd(oop);
            }
            if (tenuredCount == 0) break;
            scanOld(tenured[--tenuredCount]);
        }
        heap.stats.bytesSurvived += futureTop - young.futureStart();
        young.flip(futureTop, heap.config.gcTorture() || heap.config.verifyHeap());
        heap.refreshCachedRoots();
    }

    /** Answers where {@code ref} lives after this scavenge, copying it if it is young. */
    long copy(long ref) {
        if ((ref & Tags.TAG_MASK) != 0 || !young.contains(ref)) return ref;
        if (ref >= young.futureStart() && ref < futureEnd) return ref; // already a copy
        long h = Layout.header(ref);
        if (Header.isForwarded(h)) return Layout.fetch(ref, 0);
        long chunk = Layout.chunkStart(ref);
        long size = Layout.chunkEnd(ref) - chunk;
        int age = Header.age(h);
        boolean tenure = tenureAll || ref == tenureTarget || age >= heap.config.tenureAge() || futureTop + size > futureEnd;
        long dest;
        if (tenure) {
            dest = old.allocateChunk(size);
            heap.stats.bytesTenured += size;
        } else {
            dest = futureTop;
            futureTop += size;
        }
        RawMemory.copy(chunk, dest, size);
        long copy = dest + (ref - chunk);
        Layout.setHeader(copy, tenure ? Header.withAge(h, 0) : Header.withAge(h, age + 1));
        if (tenure) {
            if (tenuredCount == tenured.length) tenured = Arrays.copyOf(tenured, tenuredCount * 2);
            tenured[tenuredCount++] = copy;
        }
        Layout.setHeader(ref, h | Header.FORWARDED_BIT);
        Layout.storeRaw(ref, 0, copy);
        heap.stats.objectsSurvived++;
        return copy;
    }

    private void scanYoung(long oop) {
        long n = Layout.pointerSlots(oop);
        for (long i = 0; i < n; i++) {
            long v = Layout.fetch(oop, i);
            long nv = copy(v);
            if (nv != v) Layout.storeRaw(oop, i, nv);
        }
    }

    /** Updates an old object's references; remembers it again if it still points into new space. */
    private void scanOld(long oop) {
        long n = Layout.pointerSlots(oop);
        boolean pointsYoung = false;
        for (long i = 0; i < n; i++) {
            long v = Layout.fetch(oop, i);
            long nv = copy(v);
            if (nv != v) Layout.storeRaw(oop, i, nv);
            if ((nv & Tags.TAG_MASK) == 0 && young.contains(nv)) pointsYoung = true;
        }
        if (pointsYoung) heap.remembered.remember(oop);
    }
}
