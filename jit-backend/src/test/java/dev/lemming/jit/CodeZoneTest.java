package dev.lemming.jit;

import dev.lemming.jit.keystone.KeystoneWasm;
import dev.lemming.jit.zone.CodeZone;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

class CodeZoneTest {
    @Test
    void assembledCodeRunsFromTheZoneAndTheZoneRefusesWhatDoesNotFit() throws Throwable {
        try (var ks = new KeystoneWasm(); var zone = new CodeZone(8192)) {
            long at = zone.install(ks.assemble("lea rax, [rdi + rsi*2]; ret", zone.next()));
            MethodHandle h = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(at),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
            assertEquals(7 + 2 * 5, (long) h.invokeExact(7L, 5L));
            // a second method lands after the first, 16-byte aligned, and both keep working
            long at2 = zone.install(ks.assemble("mov rax, rdi; imul rax, rsi; ret", zone.next()));
            assertEquals(at + 16, at2);
            MethodHandle h2 = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(at2),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
            assertEquals(35L, (long) h2.invokeExact(7L, 5L));
            assertEquals(17L, (long) h.invokeExact(7L, 5L));
            assertFalse(zone.fits(8192));
            assertThrows(IllegalStateException.class, () -> zone.install(new byte[8192]));
        }
    }
}
