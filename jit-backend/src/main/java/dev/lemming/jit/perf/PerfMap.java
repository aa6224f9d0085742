package dev.lemming.jit.perf;

import dev.lemming.jit.disasm.capstone_h;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With {@code --jit-perf-map}: every piece of machine code Lemming installs (compiled methods,
 * the runtime routines, callback entries) is named in /tmp/perf-PID.map, the file Linux perf
 * reads to name addresses in code it cannot find in a binary. So `perf record` and `perf report`
 * show time per compiled SOM method ("Class>>selector") instead of bare addresses. Addresses of
 * methods evicted and compiled again may be named twice; perf takes the latest entry.
 *
 * <p>Each compiled method's annotated listing goes to /tmp/perf-PID.listings/ADDRESS.dis, so
 * that bin/perf-hits can put perf's samples beside the very instructions they fell on (a method
 * compiled in another run may be specialized differently).
 *
 * <p>The JVM writes the same file with -XX:+DumpPerfMapAtExit, overwriting ours at exit: use one or the other.
 */
public final class PerfMap {
    private PerfMap() {}

    public static final String PROPERTY = "lemming.jit.perfmap";
    private static PrintWriter out;

    /** The map file of this process. */
    public static String file() { return "/tmp/perf-" + ProcessHandle.current().pid() + ".map"; }

    public static boolean enabled() { return Boolean.getBoolean(PROPERTY); }

    private static Boolean listings; // decided at the first compile: Capstone stays as it was found

    /** Whether listings can be written: they need Capstone, the map itself does not. Says once why not. */
    public static synchronized boolean listings() {
        if (listings == null) {
            try {
                capstone_h.check();
                listings = true;
            } catch (IllegalStateException e) {
                System.err.println("lemming: --jit-perf-map writes no listings for bin/perf-hits: " + e.getMessage());
                listings = false;
            }
        }
        return listings;
    }

    /** Writes the listing of the code installed at address. */
    public static synchronized void listing(long address, String text) {
        Path dir = Path.of("/tmp/perf-" + ProcessHandle.current().pid() + ".listings");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(Long.toHexString(address) + ".dis"), text);
        } catch (IOException e) {
            throw new UncheckedIOException("--jit-perf-map: cannot write " + dir, e);
        }
    }

    /** Names [address, address + bytes) in the map (a no-op unless the property is set: read at each call, installs are rare). */
    public static synchronized void name(long address, long bytes, String name) {
        if (!enabled()) return;
        try {
            if (out == null) out = new PrintWriter(new FileWriter(file(), true), true);
        } catch (IOException e) {
            throw new UncheckedIOException("--jit-perf-map: cannot write /tmp/perf-PID.map", e);
        }
        out.printf("%x %x %s%n", address, bytes, name.replace('\n', ' '));
    }
}
