package dev.lemming.launcher;

import dev.lemming.interpreter.exec.JitSettings;

import java.util.Iterator;
import java.util.List;

/**
 * The JIT options every command accepts: --jit=on|off, --jit-threshold=N (invocations before a
 * method is compiled; 1 compiles everything on first call), --jit-stats (printed at exit),
 * --jit-perf-map (compiled methods named for Linux perf).
 * They become the system properties {@link JitSettings} reads, so every VM the command starts
 * (a test runner starts many) gets them.
 */
final class JitOptions {
    private JitOptions() {}

    static void parse(List<String> args) {
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String a = it.next();
            if (a.equals("--jit=on") || a.equals("--jit=off")) {
                System.setProperty(JitSettings.ENABLED, a.substring(6));
            } else if (a.startsWith("--jit-threshold=")) {
                try {
                    int n = Integer.parseInt(a.substring(16));
                    if (n < 1) throw new NumberFormatException();
                    System.setProperty(JitSettings.THRESHOLD, Integer.toString(n));
                } catch (NumberFormatException e) {
                    throw new UsageException(a + ": the threshold is a number of invocations, 1 or more");
                }
            } else if (a.equals("--jit-stats")) {
                System.setProperty(JitSettings.STATS, "true");
            } else if (a.equals("--jit-perf-map")) {
                System.setProperty("lemming.jit.perfmap", "true"); // jit-backend's PerfMap
            } else if (a.startsWith("--jit")) {
                throw new UsageException("unknown JIT option " + a + " (--jit=on|off, --jit-threshold=N, --jit-stats, --jit-perf-map)");
            } else {
                continue;
            }
            it.remove();
        }
    }
}
