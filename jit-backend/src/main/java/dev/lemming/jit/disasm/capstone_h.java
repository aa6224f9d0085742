package dev.lemming.jit.disasm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Capstone, in the shape jextract generates from {@code <capstone/capstone.h>} 4.0.2 (Debian
 * libcapstone4), written by hand because jextract is not installable here. Only what the
 * disassembler needs; {@code cs_insn} offsets as measured in ../shared/NATIVE-NOTES.md (Capstone
 * 5 moved them: {@link #check} refuses another major version).
 */
public final class capstone_h {
    private capstone_h() {}

    public static final int CS_ARCH_ARM64 = 1, CS_ARCH_X86 = 3, CS_MODE_64 = 8;
    /** struct cs_insn (4.0.2): size 240 */
    public static final long INSN_SIZE = 240, INSN_ADDRESS = 8, INSN_BYTES_SIZE = 16, INSN_MNEMONIC = 34, INSN_OP_STR = 66;

    private static final String LIBRARY = "libcapstone.so.4";
    private static MethodHandle open, disasm, free, close, version;
    private static String missing;

    static {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            Linker l = Linker.nativeLinker();
            open = l.downcallHandle(lib.find("cs_open").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
            disasm = l.downcallHandle(lib.find("cs_disasm").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
            free = l.downcallHandle(lib.find("cs_free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
            close = l.downcallHandle(lib.find("cs_close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            version = l.downcallHandle(lib.find("cs_version").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            missing = "Capstone is not installed: disassembly needs " + LIBRARY + " (Debian: apt-get install libcapstone4)";
        }
    }

    /** Throws a clear error when the library is missing or not version 4. */
    public static void check() {
        if (missing != null) throw new IllegalStateException(missing);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            int packed = (int) version.invokeExact(major, minor);
            if (major.get(JAVA_INT, 0) != 4) throw new IllegalStateException("Capstone " + major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0) + " found; Lemming's binding follows 4.0.2 (cs_insn layout)");
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cs_version failed", t);
        }
    }

    public static int cs_open(int arch, int mode, MemorySegment handle) {
        try { return (int) open.invokeExact(arch, mode, handle); } catch (Throwable t) { throw new IllegalStateException(t); }
    }
    public static long cs_disasm(long handle, MemorySegment code, long size, long address, long count, MemorySegment insn) {
        try { return (long) disasm.invokeExact(handle, code, size, address, count, insn); } catch (Throwable t) { throw new IllegalStateException(t); }
    }
    public static void cs_free(MemorySegment insn, long count) {
        try { free.invokeExact(insn, count); } catch (Throwable t) { throw new IllegalStateException(t); }
    }
    public static int cs_close(MemorySegment handle) {
        try { return (int) close.invokeExact(handle); } catch (Throwable t) { throw new IllegalStateException(t); }
    }
}
