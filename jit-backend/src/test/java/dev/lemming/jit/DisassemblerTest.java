package dev.lemming.jit;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.jit.disasm.Disassembler;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DisassemblerTest {
    @Test
    void listsTheMachineCodeOfAMethodWithItsBytecodesLiteralsAndExits() throws Exception {
        Path dir = Files.createTempDirectory("disasm");
        Files.writeString(dir.resolve("Dis.som"), """
                Dis = (
                  | count |
                  step: n = ( count := n + 1. ^'done' , n printString )
                )
                """);
        System.setProperty(JitSettings.ENABLED, "on");
        try (VM vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err))) {
            var in = vm.interpreter;
            long cls = vm.loader.load("Dis");
            var m = in.mirrorOf(in.lookupInClass(cls, vm.universe.symbol("step:")));
            X86Tier tier = (X86Tier) in.tier();
            tier.compile(m);
            String listing = Disassembler.listing(in, tier, tier.compiledMethod(m));
            assertTrue(listing.startsWith("; Dis>>#step:: "), listing);
            assertTrue(listing.contains("send_add #+ (1 arg)"), listing);
            assertTrue(listing.contains("push_literal 'done'"), listing);
            assertTrue(listing.contains("send #printString (0 args)"), listing);
            assertTrue(listing.contains("pop_field field 0"), listing);
            assertTrue(listing.contains("jo "), listing);                  // the overflow check of +
            assertTrue(listing.contains("-> exit routine"), listing);
            assertTrue(listing.contains("-> slow path of bytecode"), listing);
            assertTrue(listing.contains("exit: the interpreter executes bytecode"), listing);
        } finally {
            System.clearProperty(JitSettings.ENABLED);
        }
    }
}
