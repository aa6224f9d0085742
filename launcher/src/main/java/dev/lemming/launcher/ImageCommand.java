package dev.lemming.launcher;

import dev.lemming.interpreter.VM;
import dev.lemming.memory.HeapConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `lemming image save app.image [-cp dir:dir] Main` — an image that runs Main when started. */
final class ImageCommand implements Command {
    @Override public String name() { return "image"; }
    @Override public String summary() { return "image save FILE.image [-cp dir:dir] Main: compile once, start from the image later"; }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(argv);
        HeapConfig heap = HeapOptions.parse(args, HeapConfig.defaults());
        if (args.size() < 3 || !args.get(0).equals("save")) throw new UsageException("usage: lemming image save FILE.image [-cp dir:dir] MainClass");
        Path image = Path.of(args.get(1));
        List<String> rest = new ArrayList<>(args.subList(2, args.size()));
        List<Path> classPath = ClassPathOption.take(rest);
        if (rest.size() != 1 || rest.get(0).startsWith("-")) throw new UsageException("usage: lemming image save FILE.image [-cp dir:dir] MainClass");
        String main = rest.get(0);
        Path file = null;
        if (main.endsWith(".som")) {
            file = Path.of(main);
            if (!Files.isRegularFile(file)) throw new UsageException("no such file: " + main);
            classPath.add(0, file.toAbsolutePath().getParent()); // the classes beside it
        }
        long t0 = System.nanoTime();
        try (VM vm = VM.boot(new VM.Options(classPath, heap, 64L << 20, out, err))) {
            if (file != null) main = vm.saveImageOfFile(image, file);
            else vm.saveImage(image, main);
        }
        out.printf("saved %s (main class %s) in %.0f ms%n", image, main, (System.nanoTime() - t0) / 1e6);
        return 0;
    }
}
