package dev.lemming.memory.image;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapException;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.gc.GcKind;
import dev.lemming.memory.space.Segment;
import dev.lemming.memory.space.YoungSpace;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes images. A saved image is written after a full collection (so new space is empty) to a
 * temporary file that is forced to disk and then renamed into place: a crash leaves the old
 * image or the new one, never a torn file.
 */
public final class ImageWriter {
    private ImageWriter() {}

    private static final int CHUNK = 64 << 20;

    /** Collects garbage, then writes every old segment and the special objects. */
    public static void save(Heap heap, Path path) {
        heap.fullGC();
        write(heap, path, 0, GcKind.FULL, 0, new long[0], false);
    }

    /** Writes the heap exactly as it is, new space and the given roots included (a --lemming dump). */
    static void writeDump(Heap heap, Path path, GcKind kind, long tenureTarget, long[] roots) {
        write(heap, path, ImageHeader.FLAG_DUMP | (heap.isBootstrapping() ? ImageHeader.FLAG_BOOTSTRAPPING : 0), kind, tenureTarget, roots, true);
    }

    private static void write(Heap heap, Path path, int flags, GcKind kind, long tenureTarget, long[] roots, boolean withYoung) {
        List<long[]> ranges = new ArrayList<>(); // base, size, kind
        for (Segment s : heap.oldSegments()) ranges.add(new long[]{s.start(), s.size(), ImageHeader.KIND_OLD});
        YoungSpace y = heap.young;
        long[] young = new long[6];
        if (withYoung) {
            ranges.add(new long[]{y.mapping.start, y.mapping.size, ImageHeader.KIND_YOUNG});
            young = new long[]{y.edenEnd - y.edenStart, y.survivorSize, y.edenTop(), y.pastIndex(), y.pastTop(), y.mapping.start};
        }
        long offset = ImageHeader.lengthFor(ranges.size(), roots.length);
        List<ImageHeader.SegmentEntry> entries = new ArrayList<>();
        for (long[] r : ranges) {
            entries.add(new ImageHeader.SegmentEntry(r[0], r[1], offset, (int) r[2], crc(r[0], r[1])));
            offset += r[1];
        }
        ImageHeader header = new ImageHeader(flags, heap.specialObjects(), kind.ordinal(), tenureTarget, young,
                heap.old.segmentSize(), entries, roots);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            try (FileChannel fc = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeFully(fc, header.encode(), 0);
                for (ImageHeader.SegmentEntry e : entries) {
                    for (long done = 0; done < e.size(); done += CHUNK) {
                        long n = Math.min(CHUNK, e.size() - done);
                        writeFully(fc, RawMemory.slice(e.base() + done, n).asByteBuffer(), e.fileOffset() + done);
                    }
                }
                fc.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (dir != null) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); } catch (IOException ignored) { /* not all file systems sync directories */ }
            }
        } catch (IOException e) {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { }
            throw new HeapException("cannot write image " + path + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel fc, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) position += fc.write(b, position);
    }

    static int crc(long address, long size) {
        CRC32C crc = new CRC32C();
        for (long done = 0; done < size; done += CHUNK) {
            MemorySegment s = RawMemory.slice(address + done, Math.min(CHUNK, size - done));
            crc.update(s.asByteBuffer());
        }
        return (int) crc.getValue();
    }
}
