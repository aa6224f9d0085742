package dev.lemming.stress.scenario;

import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The short form of `lemming stress callback-unwind`: the long run is a command (see stress/README.md). */
class CallbackUnwindTest {
    private static String run(int iterations, int seed, HeapConfig heap) throws Exception {
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = SomScenario.run("CallbackUnwind", List.of("CallbackUnwind", "StressSignal"),
                List.of(String.valueOf(iterations), String.valueOf(seed)), heap, out, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        return printed;
    }

    @Test
    void randomNestedCallbacksUnwindCorrectly() throws Exception {
        assertTrue(run(1500, 11, HeapConfig.defaults()).contains("callback-unwind: 1500 scenarios, 0 failures"));
    }

    @Test
    void underGcTortureWithHeapVerification() throws Exception {
        HeapConfig heap = HeapConfig.defaults().withYoung(256 << 10, 128 << 10).withGcTorture(true, 200).withVerifyHeap(true);
        assertTrue(run(120, 12, heap).contains("callback-unwind: 120 scenarios, 0 failures"));
    }
}
