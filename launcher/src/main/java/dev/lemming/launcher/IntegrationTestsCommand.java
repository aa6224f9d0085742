package dev.lemming.launcher;

import dev.lemming.interpreter.testing.LangTest;
import dev.lemming.memory.HeapConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `lemming integration-tests DIR [-cp lib] [heap options]`: SOM programs that state their expected
 * output (SOM-st/SOM's IntegrationTests format, see {@link LangTest}); `lemming test` runs
 * Lemming's own, in tests/som.
 */
final class IntegrationTestsCommand implements Command {
    private final String name;

    IntegrationTestsCommand(String name) { this.name = name; }

    @Override public String name() { return name; }
    @Override public String summary() {
        return name.equals("test") ? "run Lemming's own SOM test programs (tests/som, tests/ffi) [heap options]"
                : "run SOM programs that state their expected output (integration-tests DIR [-cp lib])";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        List<String> args = new ArrayList<>(argv);
        HeapConfig heap = HeapOptions.parse(args, HeapConfig.defaults());
        List<Path> extra = new ArrayList<>();
        int cp = args.indexOf("-cp");
        if (cp >= 0) {
            if (cp + 1 >= args.size()) throw new UsageException("-cp needs directories");
            extra.addAll(ClassPathOption.split(args.get(cp + 1)));
            args.remove(cp + 1);
            args.remove(cp);
        }
        Path dir;
        if (name.equals("test") && args.isEmpty()) {
            String home = System.getProperty("lemming.home");
            if (home == null) throw new UsageException("lemming test needs the checkout (run it through bin/lemming) or a directory");
            dir = Path.of(home, "tests"); // tests/som and tests/ffi
        } else if (args.size() == 1) {
            dir = Path.of(args.get(0));
            if (!java.nio.file.Files.exists(dir)) throw new UsageException("no such file or directory: " + dir);
        } else {
            throw new UsageException("usage: lemming " + name + (name.equals("test") ? " [DIR]" : " DIR") + " [-cp lib] [heap options]");
        }
        return LangTest.runAll(dir, extra, heap, out);
    }
}
