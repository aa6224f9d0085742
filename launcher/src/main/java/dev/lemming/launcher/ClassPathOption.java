package dev.lemming.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The value of -cp: directories separated by colons. */
final class ClassPathOption {
    private ClassPathOption() {}

    /** Removes the leading `-cp dirs` (or `--classpath dirs`) options from args; answers their directories in order. */
    static List<Path> take(List<String> args) {
        List<Path> out = new ArrayList<>();
        while (!args.isEmpty() && (args.get(0).equals("-cp") || args.get(0).equals("--classpath"))) {
            String option = args.remove(0);
            if (args.isEmpty()) throw new UsageException(option + " needs a list of directories");
            out.addAll(split(args.remove(0)));
        }
        return out;
    }

    static List<Path> split(String value) {
        List<Path> out = new ArrayList<>();
        for (String d : value.split(":")) if (!d.isEmpty()) out.add(Path.of(d));
        return out;
    }
}
