package dev.lemming.launcher;

import dev.lemming.memory.HeapConfig;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The heap and check-mode options every command accepts:
 * --verify-heap, --gc-torture[=N], --lemming, --ffi-check, --eden=SIZE, --max-heap=SIZE, --segment=SIZE,
 * --compaction-buffer=SLOTS, --gc-stats (collection counters and times, printed at exit).
 */
public final class HeapOptions {
    private HeapOptions() {}

    /** Consumes the heap options in {@code args} (removing them) and answers the configuration. */
    public static HeapConfig parse(List<String> args, HeapConfig base) {
        HeapConfig c = base;
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String a = it.next();
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (key) {
                case "--verify-heap" -> c = c.withVerifyHeap(true);
                case "--gc-torture" -> c = c.withGcTorture(true, value == null ? 1000 : Integer.parseInt(value));
                case "--ffi-check" -> c = c.withFfiCheck(true);
                case "--gc-stats" -> System.setProperty(dev.lemming.interpreter.VM.GC_STATS, "true");
                case "--lemming" -> c = c.withLemming(true, value == null ? Path.of(".") : Path.of(value));
                case "--eden" -> c = c.withYoung(size(a, value), Math.max(64 << 10, size(a, value) / 4));
                case "--max-heap" -> c = c.withMaxHeap(size(a, value));
                case "--segment" -> c = c.withSegmentBytes(size(a, value));
                case "--compaction-buffer" -> c = c.withCompactionBufferSlots((int) Math.min(Integer.MAX_VALUE, Math.max(1, size(a, value))));
                default -> { continue; }
            }
            it.remove();
        }
        return c;
    }

    /** "64m", "2g", "512k" or bytes. */
    public static long size(String option, String text) {
        if (text == null || text.isEmpty()) throw new UsageException(option + " needs a size, e.g. " + option + "=256m");
        char unit = Character.toLowerCase(text.charAt(text.length() - 1));
        long mult = switch (unit) { case 'k' -> 1L << 10; case 'm' -> 1L << 20; case 'g' -> 1L << 30; default -> 1; };
        String digits = mult == 1 ? text : text.substring(0, text.length() - 1);
        try {
            return Long.parseLong(digits) * mult;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + text + "' is not a size (try 64m or 2g)");
        }
    }
}
