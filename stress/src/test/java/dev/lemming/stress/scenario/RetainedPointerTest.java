package dev.lemming.stress.scenario;

import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ffi-check against a real libc function that keeps a pointer (setvbuf), and its clean counterpart. */
class RetainedPointerTest {
    @Test
    void anUnpinnedBufferThatStdioKeepsIsReportedWithFunctionAndClass() throws Exception {
        var o = RetainedPointer.once(false, HeapConfig.defaults());
        assertTrue(o.reported(), o.report());
        assertTrue(o.report().contains("native code changed") && o.report().contains("old place of a ByteArray that was passed to setvbuf"), o.report());
    }

    @Test
    void thePinnedBufferPassesClean() throws Exception {
        var o = RetainedPointer.once(true, HeapConfig.defaults());
        assertFalse(o.reported(), o.report());
        assertTrue(o.clean(), o.report());
    }

    @Test
    void reportedUnderHeapVerificationToo() throws Exception {
        var o = RetainedPointer.once(false, HeapConfig.defaults().withVerifyHeap(true).withCompactionBufferSlots(1));
        assertTrue(o.reported(), o.report());
    }
}
