package dev.lemming.memory.image;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.HeapException;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.libc.libc_h;
import dev.lemming.memory.space.Mapping;
import dev.lemming.memory.space.OldSpace;
import dev.lemming.memory.space.Segment;
import dev.lemming.memory.space.YoungSpace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads images. Each old segment is mapped copy-on-write straight from the file at the address
 * it had when saved; if that range is taken (or relocation is forced), it is mapped elsewhere
 * and every reference in the heap is relocated. Every segment's checksum is verified first, and
 * a file that is not a complete image of this format is refused with a message saying why.
 */
public final class ImageReader {
    private ImageReader() {}

    /** @param relocated whether any segment landed away from its recorded address */
    public record Loaded(Heap heap, boolean relocated, ImageHeader header) {}

    public static Loaded load(Path path, HeapConfig config) { return load(path, config, false); }

    public static Loaded load(Path path, HeapConfig config, boolean forceRelocation) {
        String name = path.toString();
        ImageHeader header;
        long fileSize;
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
            fileSize = fc.size();
            if (fileSize < ImageHeader.FIXED) throw new ImageFormatException(name + " is not a Lemming image (only " + fileSize + " bytes)");
            ByteBuffer fixed = ByteBuffer.allocate(ImageHeader.FIXED);
            readFully(fc, fixed, 0);
            int length = ImageHeader.checkFixed(fixed, name, fileSize);
            ByteBuffer all = ByteBuffer.allocate(length);
            readFully(fc, all, 0);
            header = ImageHeader.decode(all, name);
        } catch (NoSuchFileException e) {
            throw new HeapException("no such image file: " + name);
        } catch (IOException e) {
            throw new HeapException("cannot read image " + name + ": " + e.getMessage(), e);
        }
        long oldBytes = 0;
        for (var e : header.segments()) {
            if (e.size() <= 0 || e.size() % Mapping.PAGE != 0 || e.fileOffset() % Mapping.PAGE != 0 || (e.base() & (Mapping.PAGE - 1)) != 0)
                throw new ImageFormatException(name + " is corrupt: a segment entry is malformed");
            if (e.fileOffset() + e.size() > fileSize)
                throw new ImageFormatException(name + " is truncated: a segment needs bytes up to " + (e.fileOffset() + e.size()) + " but the file has " + fileSize);
            if (e.kind() == ImageHeader.KIND_OLD) oldBytes += e.size();
        }
        if (oldBytes > config.maxHeapBytes())
            throw new HeapException(name + " needs " + (oldBytes >> 20) + " MB of old space, more than the maximum heap of " + (config.maxHeapBytes() >> 20) + " MB");

        HeapConfig cfg = config.withSegmentBytes(header.segmentBytes());
        if (header.isDump()) cfg = cfg.withYoung(header.young()[0], header.young()[1]);
        YoungSpace young = YoungSpace.create(cfg.edenBytes(), cfg.survivorBytes());
        OldSpace old = new OldSpace(cfg.segmentBytes(), cfg.maxHeapBytes());
        Relocator relocator = new Relocator();
        var fd = libc_h.open(path.toAbsolutePath().toString(), libc_h.O_RDONLY);
        if (fd.failed()) { young.mapping.unmap(); throw new HeapException("cannot open image " + name + ": " + fd.error()); }
        List<Mapping> blockers = new ArrayList<>();
        try {
            for (var e : header.segments()) {
                if (e.kind() == ImageHeader.KIND_OLD) {
                    Mapping m = null;
                    if (forceRelocation) {
                        // hold the recorded range so the kernel cannot hand the same addresses back
                        Mapping b = Mapping.anonymousAt(e.base(), e.size());
                        if (b != null) blockers.add(b);
                    } else {
                        m = Mapping.fileAt(e.base(), e.size(), (int) fd.value(), e.fileOffset());
                    }
                    if (m == null) m = Mapping.file(e.size(), (int) fd.value(), e.fileOffset());
                    old.addSegment(new Segment(m, true));
                    checkCrc(name, e, m.start);
                    relocator.add(e.base(), e.size(), m.start);
                } else {
                    if (e.size() != young.mapping.size) throw new ImageFormatException(name + " is corrupt: its new space does not match its recorded sizes");
                    readInto(path, e.fileOffset(), young.mapping.start, e.size());
                    checkCrc(name, e, young.mapping.start);
                    relocator.add(e.base(), e.size(), young.mapping.start);
                }
            }
        } catch (RuntimeException ex) {
            old.unmapAll();
            young.mapping.unmap();
            throw ex;
        } finally {
            libc_h.close((int) fd.value());
            for (Mapping b : blockers) b.unmap();
        }
        boolean relocated = !relocator.isIdentity();
        long[] roots = header.extraRoots().clone();
        long specials;
        try {
            if (header.isDump()) {
                long[] y = header.young();
                long delta = young.mapping.start - y[5];
                young.restore(y[2] + delta, (int) y[3], y[4] + delta);
            }
            if (relocated) {
                for (Segment s : old.segments()) relocator.relocateObjects(s.start(), s.end());
                relocator.relocateObjects(young.edenStart, young.edenTop());
                relocator.relocateObjects(young.pastStart(), young.pastTop());
            }
            for (int i = 0; i < roots.length; i++) roots[i] = relocator.relocate(roots[i]);
            specials = relocator.relocate(header.specialObjects());
        } catch (RuntimeException ex) {
            old.unmapAll();
            young.mapping.unmap();
            throw new ImageFormatException(name + " is corrupt: " + ex.getMessage());
        }
        return new Loaded(Heap.assemble(cfg, young, old, specials, roots), relocated, header);
    }

    private static void checkCrc(String name, ImageHeader.SegmentEntry e, long address) {
        if (ImageWriter.crc(address, e.size()) != e.crc())
            throw new ImageFormatException(name + " is corrupt: the checksum of the segment recorded at 0x" + Long.toHexString(e.base()) + " does not match");
    }

    private static void readInto(Path path, long offset, long address, long size) {
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(fc, RawMemory.slice(address, size).asByteBuffer(), offset);
        } catch (IOException e) {
            throw new HeapException("cannot read image " + path + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel fc, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int n = fc.read(b, position);
            if (n < 0) throw new IOException("unexpected end of file");
            position += n;
        }
    }
}
