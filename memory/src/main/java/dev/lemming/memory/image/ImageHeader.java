package dev.lemming.memory.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The image file's header page(s). Little-endian, in this order:
 * <pre>
 *   0  8 bytes  magic "LEMMIMG\0"
 *   8  u32      format version
 *  12  u32      word size (8)
 *  16  u32      flags (bit 0: a heap dump with new space, written without a collection)
 *  20  u32      number of segments
 *  24  u64      special-objects array
 *  32  u32      number of extra roots
 *  36  u32      collection to replay (dumps: 0 scavenge, 1 full)
 *  40  u64      young object to tenure in that replay, or 0
 *  48  u64 x 6  new space (dumps): eden bytes, survivor bytes, eden top, past survivor index, past top, base address
 *  96  u64      segment size the heap grew by
 * 104  u32      header length in bytes (a multiple of the page size; segments follow)
 * 108  u32      CRC32C of the header with this field zero
 * 112  ...      segment table, 32 bytes each: base address, size, file offset, kind (u32), CRC32C (u32)
 *      ...      extra roots, u64 each
 * </pre>
 * Each segment is stored whole at a page-aligned file offset, so it can be mapped in place.
 */
public record ImageHeader(int flags, long specialObjects, int gcKind, long tenureTarget,
                          long[] young, long segmentBytes, List<SegmentEntry> segments, long[] extraRoots) {

    public static final byte[] MAGIC = {'L', 'E', 'M', 'M', 'I', 'M', 'G', 0};
    public static final int VERSION = 1;
    public static final int FLAG_DUMP = 1;
    /** The dumped heap was still being bootstrapped (objects may precede their classes). */
    public static final int FLAG_BOOTSTRAPPING = 2;
    public static final int KIND_OLD = 0, KIND_YOUNG = 1;
    static final int FIXED = 112, ENTRY = 32, PAGE = 4096;

    public record SegmentEntry(long base, long size, long fileOffset, int kind, int crc) {}

    public boolean isDump() { return (flags & FLAG_DUMP) != 0; }

    public static int lengthFor(int segments, int roots) {
        int n = FIXED + segments * ENTRY + roots * 8;
        return (n + PAGE - 1) / PAGE * PAGE;
    }

    public int length() { return lengthFor(segments.size(), extraRoots.length); }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(8).putInt(flags).putInt(segments.size());
        b.putLong(specialObjects).putInt(extraRoots.length).putInt(gcKind).putLong(tenureTarget);
        for (int i = 0; i < 6; i++) b.putLong(young[i]);
        b.putLong(segmentBytes).putInt(length()).putInt(0);
        for (SegmentEntry e : segments) b.putLong(e.base).putLong(e.size).putLong(e.fileOffset).putInt(e.kind).putInt(e.crc);
        for (long r : extraRoots) b.putLong(r);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.capacity());
        b.putInt(108, (int) crc.getValue());
        b.clear();
        return b;
    }

    /** Reads the fixed part: enough to know the header's length. Checks magic, version, word size. */
    static int checkFixed(ByteBuffer b, String file, long fileSize) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) throw new ImageFormatException(file + " is not a Lemming image (it does not start with the image magic)");
        }
        int version = b.getInt(8);
        if (version != VERSION) throw new ImageFormatException(file + " is a Lemming image of format version " + version + "; this VM reads version " + VERSION);
        int wordSize = b.getInt(12);
        if (wordSize != 8) throw new ImageFormatException(file + " was written with " + wordSize + "-byte words; this VM uses 8");
        int length = b.getInt(104);
        int segments = b.getInt(20), roots = b.getInt(32);
        if (segments < 0 || segments > 1_000_000 || roots < 0 || roots > 100_000_000 || length != lengthFor(segments, roots))
            throw new ImageFormatException(file + " has a corrupt header (segment count " + segments + ", header length " + length + ")");
        if (length > fileSize) throw new ImageFormatException(file + " is truncated: its header needs " + length + " bytes, the file has " + fileSize);
        return length;
    }

    static ImageHeader decode(ByteBuffer b, String file) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        int stored = b.getInt(108);
        b.putInt(108, 0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.capacity());
        if ((int) crc.getValue() != stored) throw new ImageFormatException(file + " is corrupt: the header checksum does not match");
        int flags = b.getInt(16), nseg = b.getInt(20);
        long specials = b.getLong(24);
        int nroots = b.getInt(32), kind = b.getInt(36);
        long target = b.getLong(40);
        long[] young = new long[6];
        for (int i = 0; i < 6; i++) young[i] = b.getLong(48 + i * 8);
        long segBytes = b.getLong(96);
        List<SegmentEntry> segs = new ArrayList<>();
        int p = FIXED;
        for (int i = 0; i < nseg; i++, p += ENTRY) {
            segs.add(new SegmentEntry(b.getLong(p), b.getLong(p + 8), b.getLong(p + 16), b.getInt(p + 24), b.getInt(p + 28)));
        }
        long[] roots = new long[nroots];
        for (int i = 0; i < nroots; i++, p += 8) roots[i] = b.getLong(p);
        return new ImageHeader(flags, specials, kind, target, young, segBytes, segs, roots);
    }
}
