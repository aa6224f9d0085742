package dev.lemming.jit.perf;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.jit.X86Tier;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PerfMapTest {
    @Test
    void compiledMethodsAreNamedWhereTheirCodeIs() throws Exception {
        Path dir = Files.createTempDirectory("perfmap");
        Files.writeString(dir.resolve("Mapped.som"), "Mapped = ( twice: n = ( ^ n + n ) )\n");
        System.setProperty(JitSettings.ENABLED, "on");
        System.setProperty(PerfMap.PROPERTY, "true");
        try (VM vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err))) {
            var in = vm.interpreter;
            var m = in.mirrorOf(in.lookupInClass(vm.loader.load("Mapped"), vm.universe.symbol("twice:")));
            X86Tier tier = (X86Tier) in.tier();
            tier.compile(m);
            long at = tier.compiledMethod(m).address();
            String line = String.format("%x %x SOM Mapped>>#twice:", at, tier.compiledMethod(m).code().bytes().length);
            List<String> map = Files.readAllLines(Path.of(PerfMap.file()));
            assertTrue(map.contains(line), () -> line + " not in " + map);
            assertTrue(map.stream().anyMatch(l -> l.endsWith(" lemming enter routine")), map::toString);
        } finally {
            System.clearProperty(JitSettings.ENABLED);
            System.clearProperty(PerfMap.PROPERTY);
        }
    }
}
