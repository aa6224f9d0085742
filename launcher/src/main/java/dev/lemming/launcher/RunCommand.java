package dev.lemming.launcher;

import dev.lemming.interpreter.VM;
import dev.lemming.memory.HeapConfig;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `lemming run [-cp path:path] [--jit=on|off] ClassOrFile.som args...` */
final class RunCommand implements Command {
    @Override public String name() { return "run"; }
    @Override public String summary() { return "run a SOM program: run [-cp dir:dir] [--jit=on|off] Class|File.som [args]"; }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(argv);
        HeapConfig heap = HeapOptions.parse(args, HeapConfig.defaults());
        List<Path> classPath = ClassPathOption.take(args);
        if (!args.isEmpty() && args.get(0).startsWith("-")) throw new UsageException("unknown option " + args.get(0) + " (lemming help lists them)");
        if (args.isEmpty()) throw new UsageException("run needs a class name, a .som file or an .image file");
        String main = args.get(0);
        PrintStream programOut = out == System.out ? new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false) : out;
        if (main.endsWith(".image")) {
            long t0 = System.nanoTime();
            try (VM vm = VM.fromImage(Path.of(main), new VM.Options(classPath, heap, 256L << 20, programOut, err))) {
                if (System.getenv("LEMMING_TIMING") != null) err.printf("lemming: image started in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
                return vm.runImage(args.subList(1, args.size()));
            } finally {
                programOut.flush();
            }
        }
        Path file = null;
        if (main.endsWith(".som")) {
            file = Path.of(main);
            if (!Files.isRegularFile(file)) throw new UsageException("no such file: " + main);
            classPath.add(0, file.toAbsolutePath().getParent()); // the classes beside it
        }
        long t0 = System.nanoTime();
        try (VM vm = VM.boot(new VM.Options(classPath, heap, 256L << 20, programOut, err))) {
            if (System.getenv("LEMMING_TIMING") != null) err.printf("lemming: booted from source in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            return file != null ? vm.runFile(file, args.subList(1, args.size())) : vm.run(args);
        } finally {
            programOut.flush();
        }
    }
}
