package dev.lemming.memory.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls the memory module needs, in the shape jextract generates from
 * {@code <sys/mman.h>} (glibc 2.36, Debian bookworm, x86-64 and aarch64 Linux), written by hand
 * because jextract is not installable here. Every call captures errno, so a failure can say why.
 */
public final class libc_h {
    private libc_h() {}

    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10,
            MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000, MAP_FIXED_NOREPLACE = 0x100000;
    public static final int MADV_DONTNEED = 4;
    public static final int MFD_CLOEXEC = 1;
    public static final long MAP_FAILED = -1L;
    public static final int EEXIST = 17;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, CAPTURE_ERRNO);
    }

    // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
    private static final MethodHandle mmap$MH = bind("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    // int munmap(void *addr, size_t length);
    private static final MethodHandle munmap$MH = bind("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    // int mprotect(void *addr, size_t len, int prot);
    private static final MethodHandle mprotect$MH = bind("mprotect", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    // int madvise(void *addr, size_t length, int advice);
    private static final MethodHandle madvise$MH = bind("madvise", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    // int memfd_create(const char *name, unsigned int flags);
    private static final MethodHandle memfd_create$MH = bind("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // int open(const char *path, int flags, ...) is variadic; the memory module only needs read-only opens.
    private static final MethodHandle open$MH = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle close$MH = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // char *strerror(int errnum);
    private static final MethodHandle strerror$MH = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** The result of a call and the errno it left. */
    public record Result(long value, int errno) {
        public boolean failed() { return value == -1; }
        public String error() { return strerror(errno) + " (errno " + errno + ")"; }
    }

    private static Result call(MethodHandle mh, Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            Object[] all = new Object[args.length + 1];
            all[0] = state;
            System.arraycopy(args, 0, all, 1, args.length);
            Object r = mh.invokeWithArguments(all);
            long v = r instanceof Integer i ? i : (Long) r;
            return new Result(v, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw new IllegalStateException("libc call failed: " + t, t);
        }
    }

    public static Result mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return call(mmap$MH, addr, length, prot, flags, fd, offset);
    }
    public static Result munmap(long addr, long length) { return call(munmap$MH, addr, length); }
    public static Result mprotect(long addr, long length, int prot) { return call(mprotect$MH, addr, length, prot); }
    public static Result madvise(long addr, long length, int advice) { return call(madvise$MH, addr, length, advice); }
    public static Result memfd_create(String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return call(memfd_create$MH, arena.allocateFrom(name), flags);
        }
    }
    public static final int O_RDONLY = 0, O_RDWR = 2;
    public static Result open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return call(open$MH, arena.allocateFrom(path), flags);
        }
    }
    public static Result close(int fd) { return call(close$MH, fd); }

    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) strerror$MH.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
