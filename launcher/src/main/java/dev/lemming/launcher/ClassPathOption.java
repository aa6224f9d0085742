package dev.lemming.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The value of -cp: directories separated by colons. */
final class ClassPathOption {
    private ClassPathOption() {}

    static List<Path> split(String value) {
        List<Path> out = new ArrayList<>();
        for (String d : value.split(":")) if (!d.isEmpty()) out.add(Path.of(d));
        return out;
    }
}
