package dev.lemming.jit.disasm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** x86-64 disassembly through Capstone: bytes in, instructions out. */
public final class Capstone {
    private Capstone() {}

    public record Instruction(long address, int size, String mnemonic, String operands) {
        @Override public String toString() { return (mnemonic + " " + operands).trim(); }
    }

    public static List<Instruction> x86_64(byte[] code, long address) {
        capstone_h.check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = arena.allocate(JAVA_LONG);
            int err = capstone_h.cs_open(capstone_h.CS_ARCH_X86, capstone_h.CS_MODE_64, handle);
            if (err != 0) throw new IllegalStateException("cs_open failed: error " + err);
            try {
                MemorySegment bytes = arena.allocate(Math.max(1, code.length));
                bytes.copyFrom(MemorySegment.ofArray(code));
                MemorySegment out = arena.allocate(ADDRESS);
                long n = capstone_h.cs_disasm(handle.get(JAVA_LONG, 0), bytes, code.length, address, 0, out);
                List<Instruction> result = new ArrayList<>();
                MemorySegment insns = out.get(ADDRESS, 0).reinterpret(n * capstone_h.INSN_SIZE);
                for (long i = 0; i < n; i++) {
                    long base = i * capstone_h.INSN_SIZE;
                    result.add(new Instruction(insns.get(JAVA_LONG, base + capstone_h.INSN_ADDRESS),
                            insns.get(JAVA_SHORT, base + capstone_h.INSN_BYTES_SIZE) & 0xFFFF,
                            cString(insns, base + capstone_h.INSN_MNEMONIC, 32),
                            cString(insns, base + capstone_h.INSN_OP_STR, 160)));
                }
                if (n > 0) capstone_h.cs_free(out.get(ADDRESS, 0), n);
                return result;
            } finally {
                capstone_h.cs_close(handle);
            }
        }
    }

    private static String cString(MemorySegment s, long at, int max) {
        int len = 0;
        while (len < max && s.get(JAVA_BYTE, at + len) != 0) len++;
        byte[] b = new byte[len];
        MemorySegment.copy(s, JAVA_BYTE, at, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }
}
