package dev.lemming.jit;

import dev.lemming.jit.keystone.KeystoneWasm;
import dev.lemming.jit.stencil.Hole;
import dev.lemming.jit.stencil.Stencil;
import dev.lemming.jit.stencil.StencilSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class StencilSetTest {
    @Test
    void holesAreFoundWhereTheAssemblerPutThem() {
        String text = """
                ## a
                    mov rax, [rbx + {D:slot}]
                    movabs rcx, {Q:lit}
                ## b cc=e,ne
                    cmp rax, rcx
                    {JCC:{cc}:bail}
                    {J:target}
                """.replace("{JCC:{cc}", "{JCC:e");
        try (var ks = new KeystoneWasm()) {
            StencilSet set = StencilSet.assemble(text, ks);
            Stencil a = set.get("a");
            // 48 8b 83 <disp32> ; 48 b9 <imm64>
            assertEquals(7 + 10, a.size());
            assertEquals(new Hole("slot", Hole.Kind.ABS32, 3), a.hole("slot"));
            assertEquals(new Hole("lit", Hole.Kind.ABS64, 9), a.hole("lit"));
            Stencil b = set.get("b_ne");
            assertEquals(3 + 6 + 5, b.size());
            assertEquals(Hole.Kind.REL32, b.hole("bail").kind());
            assertEquals(5, b.hole("bail").offset());
            assertEquals(10, b.hole("target").offset());
            assertEquals((byte) 0x84, b.code()[4]);
        }
    }

    @Test
    void theBundledX86StencilsAssemble() {
        try (var ks = new KeystoneWasm()) {
            StencilSet set = StencilSet.assemble(StencilSet.source("x86_64"), ks);
            assertTrue(set.get("int_add").hasHole("bail"));
            assertTrue(set.get("int_compare_le").hasHole("true"));
            assertEquals((byte) 0xc3, set.get("exit").code()[set.get("exit").size() - 1]); // ret
        }
    }
}
