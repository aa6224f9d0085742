package dev.lemming.memory;

import java.nio.file.Path;

/**
 * Sizes and check modes of one heap. All sizes in bytes.
 *
 * @param edenBytes             where objects are born
 * @param survivorBytes         each of the two survivor spaces
 * @param segmentBytes          the unit in which old space grows (larger objects get a segment of their own)
 * @param maxHeapBytes          old space never grows past this
 * @param tenureAge             scavenges an object survives in new space before it is tenured (0..3)
 * @param compactionBufferSlots how many objects one compaction pass can move; more live objects
 *                              than this take several passes (small values exercise that path)
 * @param verifyHeap            verify the whole heap before and after every collection
 * @param gcTorture             scavenge at every allocation, full GC every {@code tortureFullGcEvery} allocations
 * @param lemming               rehearse every collection on a clone of the heap first
 * @param dumpDirectory         where --lemming writes the heap of a failed rehearsal
 * @param ffiCheck              leave a canary where an object passed to native code was before it moved (FfiCanaries)
 */
public record HeapConfig(long edenBytes, long survivorBytes, long segmentBytes, long maxHeapBytes,
                         int tenureAge, int compactionBufferSlots, boolean verifyHeap, boolean gcTorture,
                         int tortureFullGcEvery, boolean lemming, Path dumpDirectory, boolean ffiCheck) {

    /**
     * 64 MB of eden and 16 MB survivor spaces (8 and 2 until the eighth session: Havlak then
     * spent 35% of its time scavenging and tenured 366 MB of short-lived objects that overflowed
     * the survivor space; with 64 MB, 7% and 5 MB; DeltaBlue's scavenges went from 373 to 146 ms).
     */
    public static HeapConfig defaults() {
        return new HeapConfig(64 << 20, 16 << 20, 16 << 20, 4L << 30, 2, 1 << 20,
                false, false, 1000, false, Path.of(System.getProperty("java.io.tmpdir")), false);
    }

    public HeapConfig withYoung(long eden, long survivor) {
        return new HeapConfig(eden, survivor, segmentBytes, maxHeapBytes, tenureAge, compactionBufferSlots, verifyHeap, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withSegmentBytes(long n) {
        return new HeapConfig(edenBytes, survivorBytes, n, maxHeapBytes, tenureAge, compactionBufferSlots, verifyHeap, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withMaxHeap(long n) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, n, tenureAge, compactionBufferSlots, verifyHeap, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withTenureAge(int n) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, n, compactionBufferSlots, verifyHeap, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withCompactionBufferSlots(int n) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, tenureAge, n, verifyHeap, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withVerifyHeap(boolean b) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, tenureAge, compactionBufferSlots, b, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withGcTorture(boolean b, int fullGcEvery) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, tenureAge, compactionBufferSlots, verifyHeap, b, fullGcEvery, lemming, dumpDirectory, ffiCheck);
    }
    public HeapConfig withLemming(boolean b, Path dumpDir) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, tenureAge, compactionBufferSlots, verifyHeap, gcTorture, tortureFullGcEvery, b, dumpDir, ffiCheck);
    }
    public HeapConfig withFfiCheck(boolean b) {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, tenureAge, compactionBufferSlots, verifyHeap, gcTorture, tortureFullGcEvery, lemming, dumpDirectory, b);
    }
    /** The same sizes with every check mode off: what a rehearsal clone or a replay runs with. */
    public HeapConfig plain() {
        return new HeapConfig(edenBytes, survivorBytes, segmentBytes, maxHeapBytes, tenureAge, compactionBufferSlots, false, false, tortureFullGcEvery, false, dumpDirectory, false);
    }
}
