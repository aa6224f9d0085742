package dev.lemming.memory.object;

import static dev.lemming.memory.RawMemory.getLong;
import static dev.lemming.memory.RawMemory.putLong;

/**
 * Where things are inside an object, given its address (the "oop": the address of its header).
 * A chunk is the memory an object occupies: an overflow word if it has 255 slots or more, the
 * header, then max(slots, 1) words (one slot at least, so any object can hold a forwarding
 * pointer). Free chunks are the exception: they may be a lone 8-byte header.
 */
public final class Layout {
    private Layout() {}

    public static final int WORD = 8;
    public static final long MIN_CHUNK = 16;

    public static long header(long oop) { return getLong(oop); }
    public static void setHeader(long oop, long h) { putLong(oop, h); }

    public static long numSlots(long oop) {
        long h = getLong(oop);
        int n = Header.numSlotsField(h);
        return n == Header.OVERFLOW_SLOTS ? getLong(oop - WORD) & Header.MAX_SLOTS : n;
    }

    public static boolean hasOverflowWord(long oop) { return Header.numSlotsField(getLong(oop)) == Header.OVERFLOW_SLOTS; }
    public static long chunkStart(long oop) { return hasOverflowWord(oop) ? oop - WORD : oop; }

    /** The object whose chunk starts at {@code chunk}. */
    public static long oopAtChunk(long chunk) {
        return (getLong(chunk) & Header.OVERFLOW_WORD_TAG) == Header.OVERFLOW_WORD_TAG ? chunk + WORD : chunk;
    }

    /** Bytes of the chunk from its header to its end (the overflow word not included). */
    public static long bodyBytes(long oop, long numSlots) {
        if (Header.classIndex(getLong(oop)) == ClassIndex.FREE_CHUNK) return WORD + numSlots * WORD;
        return WORD + Math.max(numSlots, 1) * WORD;
    }

    /** The address just past the object: the next chunk. */
    public static long chunkEnd(long oop) { return oop + bodyBytes(oop, numSlots(oop)); }
    public static long chunkSize(long oop) { return chunkEnd(oop) - chunkStart(oop); }

    /** Chunk bytes an object of {@code numSlots} slots needs. */
    public static long chunkBytesFor(long numSlots) {
        return (numSlots >= Header.OVERFLOW_SLOTS ? WORD : 0) + WORD + Math.max(numSlots, 1) * WORD;
    }

    /**
     * Writes a header (and overflow word if needed) at {@code chunk}; answers the oop. Does not
     * touch the body.
     */
    public static long formatChunk(long chunk, int classIndex, int format, long numSlots) {
        if (numSlots >= Header.OVERFLOW_SLOTS) {
            putLong(chunk, Header.OVERFLOW_WORD_TAG | numSlots);
            putLong(chunk + WORD, Header.make(classIndex, format, Header.OVERFLOW_SLOTS));
            return chunk + WORD;
        }
        putLong(chunk, Header.make(classIndex, format, numSlots));
        return chunk;
    }

    /** Formats [chunk, chunk+bytes) as one free chunk, so heap walkers step over it. */
    public static void formatFree(long chunk, long bytes) {
        assert bytes >= WORD && bytes % WORD == 0 : bytes;
        long words = bytes / WORD;
        if (words - 1 < Header.OVERFLOW_SLOTS) {
            putLong(chunk, Header.make(ClassIndex.FREE_CHUNK, 0, words - 1));
        } else {
            putLong(chunk, Header.OVERFLOW_WORD_TAG | (words - 2));
            putLong(chunk + WORD, Header.make(ClassIndex.FREE_CHUNK, 0, Header.OVERFLOW_SLOTS));
        }
    }

    public static boolean isFree(long oop) { return Header.classIndex(getLong(oop)) == ClassIndex.FREE_CHUNK; }

    public static long slotAddress(long oop, long index) { return oop + WORD + index * WORD; }
    public static long fetch(long oop, long index) { return getLong(oop + WORD + index * WORD); }
    /** Raw store, no write barrier: for initialisation and collectors only. */
    public static void storeRaw(long oop, long index, long value) { putLong(oop + WORD + index * WORD, value); }

    /** How many leading slots hold references (what collectors scan). */
    public static long pointerSlots(long oop) {
        long h = getLong(oop);
        int format = Header.format(h);
        if (Header.classIndex(h) == ClassIndex.FREE_CHUNK) return 0;
        if (Format.isPointers(format)) return numSlots(oop);
        if (Format.isCompiledMethod(format)) {
            long methodHeader = fetch(oop, 0);
            return 1 + (Tags.smallIntegerValue(methodHeader) & Format.LITERAL_COUNT_MASK);
        }
        return 0;
    }

    /** Bytes in a byte-format or compiled-method object (its byte part for a method). */
    public static long byteSize(long oop) {
        long h = getLong(oop);
        return numSlots(oop) * WORD - Format.unusedBytes(Header.format(h));
    }

    public static long firstByteAddress(long oop) { return oop + WORD; }
}
