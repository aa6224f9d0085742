package dev.lemming.stress.scenario;

import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.HeapException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The retained-pointer scenario (scenarios/RetainedPointer.som): setvbuf keeps a ByteArray
 * buffer after it returns, a full GC moves the buffer, stdio writes through the kept pointer.
 * Under --ffi-check the unpinned run must be reported, naming setvbuf and ByteArray; the run
 * with the buffer pinned must finish clean.
 */
public final class RetainedPointer {
    /** One run: whether it was reported (and the report), whether it finished clean, how long it took. */
    public record Outcome(boolean reported, String report, boolean clean, double seconds) {}

    private RetainedPointer() {}

    public static Outcome once(boolean pinned, HeapConfig heap) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        try {
            int code = SomScenario.run("RetainedPointer", List.of("RetainedPointer"), pinned ? List.of("pinned") : List.of(),
                    heap.withFfiCheck(true), out, out);
            String printed = bytes.toString(StandardCharsets.UTF_8);
            return new Outcome(false, printed, code == 0 && printed.contains("done, buffer " + (pinned ? "pinned" : "not pinned")), seconds(t0));
        } catch (HeapException e) {
            String m = e.getMessage();
            boolean named = m.contains("--ffi-check") && m.contains("setvbuf") && m.contains("ByteArray");
            return new Outcome(named, m, false, seconds(t0));
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
