package dev.lemming.jit;

import dev.lemming.jit.asm.AssemblyException;
import dev.lemming.jit.keystone.KeystoneWasm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KeystoneWasmTest {
    static KeystoneWasm ks;

    @BeforeAll static void open() { ks = new KeystoneWasm(); }
    @AfterAll static void close() { ks.close(); }

    @Test
    void assemblesX86_64() {
        // mov rax, 42 ; ret  -> 48 c7 c0 2a 00 00 00 c3
        assertArrayEquals(new byte[] {0x48, (byte) 0xc7, (byte) 0xc0, 0x2a, 0, 0, 0, (byte) 0xc3}, ks.assemble("mov rax, 42; ret", 0));
    }

    @Test
    void relativeBranchesDependOnTheAddress() {
        byte[] code = ks.assemble("jmp 0x1000", 0x1000);
        assertEquals((byte) 0xeb, code[0]);
        assertEquals((byte) 0xfe, code[1]); // jmp to itself
        byte[] labels = ks.assemble("top: dec rcx\n jnz top\n ret", 0);
        // dec rcx ; jnz top (back 5 bytes) ; ret
        assertArrayEquals(new byte[] {0x48, (byte) 0xff, (byte) 0xc9, 0x75, (byte) 0xfb, (byte) 0xc3}, labels);
    }

    @Test
    void errorsCarryKeystonesMessageAndTheSource() {
        AssemblyException e = assertThrows(AssemblyException.class, () -> ks.assemble("mov rax, rbx, rcx", 0));
        assertTrue(e.getMessage().contains("Keystone: "), e.getMessage());
        assertTrue(e.getMessage().contains("mov rax, rbx, rcx"), e.getMessage());
        // the instance stays usable after an error
        assertEquals(1, ks.assemble("ret", 0).length);
    }
}
