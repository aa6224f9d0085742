package dev.lemming.launcher;

import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.jit.X86Tier;
import dev.lemming.jit.disasm.Disassembler;
import dev.lemming.memory.HeapConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `lemming disasm [-cp dir:dir] Class>>selector` (or `Class class>>selector`, or
 * `File.som>>selector`): compiles the method and prints its machine code, disassembled by
 * Capstone and annotated with the bytecodes, literals, selectors and exits it came from.
 * With {@code --after 'Class args...'} that program runs first (its output on stderr), so the
 * listing shows the method as the run compiled it: its sends specialized to what the caches saw.
 */
final class DisasmCommand implements Command {
    @Override public String name() { return "disasm"; }
    @Override public String summary() { return "disasm [-cp dir:dir] [--after 'Class args'] Class>>selector: a method's machine code, annotated"; }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(argv);
        HeapConfig heap = HeapOptions.parse(args, HeapConfig.defaults());
        List<Path> classPath = ClassPathOption.take(args);
        List<String> warmUp = null;
        int after = args.indexOf("--after");
        if (after >= 0) {
            if (after + 1 >= args.size()) throw new UsageException("--after needs a program: --after 'Class args...'");
            warmUp = List.of(args.get(after + 1).trim().split("\\s+"));
            args.subList(after, after + 2).clear();
        }
        if (args.size() != 1 || !args.get(0).contains(">>")) throw new UsageException("usage: lemming disasm [-cp dir:dir] Class>>selector (class side: 'Class class>>selector')");
        String spec = args.get(0);
        String owner = spec.substring(0, spec.indexOf(">>")), selector = spec.substring(spec.indexOf(">>") + 2);
        if (selector.startsWith("#")) selector = selector.substring(1); // Class>>#sel, as Lemming prints methods
        boolean classSide = owner.endsWith(" class");
        if (classSide) owner = owner.substring(0, owner.length() - 6).trim();
        if (owner.endsWith(".som")) {
            Path f = Path.of(owner).toAbsolutePath();
            classPath.add(0, f.getParent());
            owner = f.getFileName().toString().replace(".som", "");
        }
        System.setProperty(JitSettings.ENABLED, "on");
        try (VM vm = VM.boot(new VM.Options(classPath, heap, 16L << 20, warmUp == null ? out : err, err))) {
            if (warmUp != null) {
                int status = vm.run(warmUp);
                if (status != 0) throw new UsageException("the --after program " + String.join(" ", warmUp) + " ended with status " + status);
            }
            var in = vm.interpreter;
            var u = vm.universe;
            // a class the --after run loaded is not loaded again: loading flushes the caches it filled
            long cls = u.global(u.symbol(owner));
            if (cls == 0 || cls == u.nil) cls = vm.loader.load(owner);
            if (cls == 0) throw new UsageException("no class " + owner + " on the class path " + vm.loader.classPath());
            if (classSide) cls = u.classOf(cls);
            long method = in.lookupInClass(cls, u.symbol(selector));
            if (method == 0) throw new UsageException(owner + (classSide ? " class" : "") + " does not understand #" + selector);
            MethodMirror m = in.mirrorOf(method);
            if (m.isPrimitiveMethod) throw new UsageException(in.describe(m) + " is a primitive: it has no bytecode to compile");
            if (!(in.tier() instanceof X86Tier tier)) throw new UsageException("disasm needs the x86-64 JIT");
            tier.compile(m); // a method the --after run compiled is kept as it is
            var compiled = tier.compiledMethod(m);
            if (compiled == null) throw new UsageException(in.describe(m) + " could not be compiled");
            out.print(Disassembler.listing(in, tier, compiled));
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Capstone")) throw new UsageException(e.getMessage());
            throw e;
        }
        return 0;
    }
}
