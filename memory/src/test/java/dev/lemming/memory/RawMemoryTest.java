package dev.lemming.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

class RawMemoryTest {
    @Test
    void equalBytesComparesEveryByteOfEveryLengthAndNoMore() {
        try (Arena arena = Arena.ofConfined()) {
            long a = arena.allocate(64).address(), b = arena.allocate(64).address();
            for (int i = 0; i < 64; i++) { RawMemory.putByte(a + i, (byte) i); RawMemory.putByte(b + i, (byte) i); }
            for (int n = 0; n <= 20; n++) {
                assertTrue(RawMemory.equalBytes(a, b, n), "equal prefix of " + n);
                for (int at = 0; at < n; at++) { // a difference at any position within the length is seen
                    RawMemory.putByte(b + at, (byte) 99);
                    assertFalse(RawMemory.equalBytes(a, b, n), n + " bytes, differing at " + at);
                    RawMemory.putByte(b + at, (byte) at);
                }
                RawMemory.putByte(b + n, (byte) 99); // a difference just past the length is not
                assertTrue(RawMemory.equalBytes(a, b, n), n + " bytes, differing just after");
                RawMemory.putByte(b + n, (byte) n);
            }
        }
    }
}
