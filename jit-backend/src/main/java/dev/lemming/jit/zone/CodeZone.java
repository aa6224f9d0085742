package dev.lemming.jit.zone;

import dev.lemming.memory.libc.libc_h;
import dev.lemming.memory.space.Mapping;

import java.lang.foreign.MemorySegment;

/**
 * Executable memory for machine code: one mapping, filled from the bottom. Never writable and
 * executable at once: installing code makes the pages it touches read-write, copies, and makes
 * them read-execute again (no machine code runs meanwhile: machine code never calls Java).
 * When it is full the owner evicts every method and starts over ({@link #reset}).
 */
public final class CodeZone implements AutoCloseable {
    private final Mapping mapping;
    private long top;

    public CodeZone(long bytes) {
        mapping = Mapping.anonymous(Mapping.roundUpToPage(bytes));
        protect(mapping.start, mapping.size, libc_h.PROT_READ | libc_h.PROT_EXEC);
        top = mapping.start;
    }

    public long start() { return mapping.start; }
    public long used() { return top - mapping.start; }
    public long capacity() { return mapping.size; }
    public boolean contains(long address) { return address >= mapping.start && address < top; }

    /** Room for {@code bytes} more bytes? */
    public boolean fits(int bytes) { return top + align(bytes) <= mapping.end(); }

    /** The address the next {@link #install} will use. */
    public long next() { return top; }

    /** Copies {@code code} (laid out for {@link #next()}) into the zone; answers its address. */
    public long install(byte[] code) {
        if (!fits(code.length)) throw new IllegalStateException("code zone full");
        long at = top;
        long first = at & -Mapping.PAGE, last = Mapping.roundUpToPage(at + code.length);
        protect(first, last - first, libc_h.PROT_READ | libc_h.PROT_WRITE);
        MemorySegment.ofAddress(at).reinterpret(code.length).copyFrom(MemorySegment.ofArray(code));
        protect(first, last - first, libc_h.PROT_READ | libc_h.PROT_EXEC);
        top = at + align(code.length);
        return at;
    }

    /** Everything from {@code keepBelow} up is free again (the runtime routines below it stay): the caller has unlinked every method in it. */
    public void reset(long keepBelow) {
        if (keepBelow < mapping.start || keepBelow > top) throw new IllegalArgumentException("reset outside the used zone");
        top = keepBelow;
    }

    private static long align(long n) { return (n + 15) & -16L; } // 16-byte aligned entries

    private static void protect(long address, long length, int prot) {
        var r = libc_h.mprotect(address, length, prot);
        if (r.failed()) throw new IllegalStateException("mprotect failed: " + r.error());
    }

    @Override
    public void close() { mapping.unmap(); }
}
