package dev.lemming.memory.space;

import dev.lemming.memory.HeapException;
import dev.lemming.memory.libc.libc_h;

/** An mmap'd range of the address space, owned by the heap that made it. */
public final class Mapping {
    public static final long PAGE = 4096;

    public final long start;
    public final long size;
    private boolean unmapped;

    private Mapping(long start, long size) { this.start = start; this.size = size; }

    public static long roundUpToPage(long n) { return (n + PAGE - 1) & -PAGE; }

    /** Fresh zeroed read-write memory wherever the kernel likes. */
    public static Mapping anonymous(long size) {
        size = roundUpToPage(size);
        var r = libc_h.mmap(0, size, libc_h.PROT_READ | libc_h.PROT_WRITE,
                libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS | libc_h.MAP_NORESERVE, -1, 0);
        if (r.failed()) throw new HeapException("cannot map " + size + " bytes of heap: " + r.error());
        return new Mapping(r.value(), size);
    }

    /**
     * A private (copy-on-write) mapping of part of a file at exactly {@code address}, or null
     * when something already lives there. Never replaces an existing mapping.
     */
    public static Mapping fileAt(long address, long size, int fd, long fileOffset) {
        size = roundUpToPage(size);
        var r = libc_h.mmap(address, size, libc_h.PROT_READ | libc_h.PROT_WRITE,
                libc_h.MAP_PRIVATE | libc_h.MAP_FIXED_NOREPLACE, fd, fileOffset);
        if (r.failed()) {
            if (r.errno() == libc_h.EEXIST) return null;
            throw new HeapException("cannot map image segment at 0x" + Long.toHexString(address) + ": " + r.error());
        }
        if (r.value() != address) { // a kernel that ignores MAP_FIXED_NOREPLACE places it elsewhere
            libc_h.munmap(r.value(), size);
            return null;
        }
        return new Mapping(address, size);
    }

    /** A private (copy-on-write) mapping of part of a file wherever the kernel likes. */
    public static Mapping file(long size, int fd, long fileOffset) {
        size = roundUpToPage(size);
        var r = libc_h.mmap(0, size, libc_h.PROT_READ | libc_h.PROT_WRITE, libc_h.MAP_PRIVATE, fd, fileOffset);
        if (r.failed()) throw new HeapException("cannot map image segment: " + r.error());
        return new Mapping(r.value(), size);
    }

    /** Anonymous memory at exactly {@code address}, or null if the range is taken. */
    public static Mapping anonymousAt(long address, long size) {
        size = roundUpToPage(size);
        var r = libc_h.mmap(address, size, libc_h.PROT_READ | libc_h.PROT_WRITE,
                libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS | libc_h.MAP_NORESERVE | libc_h.MAP_FIXED_NOREPLACE, -1, 0);
        if (r.failed()) return null;
        if (r.value() != address) { libc_h.munmap(r.value(), size); return null; }
        return new Mapping(address, size);
    }

    public long end() { return start + size; }
    public boolean contains(long address) { return address >= start && address < start + size; }
    public boolean isUnmapped() { return unmapped; }

    public void unmap() {
        if (unmapped) return;
        var r = libc_h.munmap(start, size);
        if (r.failed()) throw new HeapException("munmap failed: " + r.error());
        unmapped = true;
    }

    /** Gives the pages back to the kernel but keeps the range (they read as zero afterwards). */
    public void discard(long from, long bytes) {
        long a = roundUpToPage(from), e = (from + bytes) & -PAGE;
        if (e > a) libc_h.madvise(a, e - a, libc_h.MADV_DONTNEED);
    }
}
