package dev.lemming.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SOM-st/SOM's Are We Fast Yet benchmarks, pointed to by a path (never copied): where they are,
 * their class path, and the inner iterations used here. {@code inner} is ../shared/PEERS.md's;
 * {@code smokeInner} the smallest count at which the benchmark still verifies (Mandelbrot, NBody
 * and CD verify only at some counts).
 */
public final class AreWeFastYet {
    public record Benchmark(String name, int inner, int smokeInner) {}

    public static final List<Benchmark> ALL = List.of(
            new Benchmark("Bounce", 100, 1), new Benchmark("List", 100, 1), new Benchmark("Mandelbrot", 500, 1),
            new Benchmark("NBody", 10000, 1), new Benchmark("Permute", 100, 1), new Benchmark("Queens", 100, 1),
            new Benchmark("Sieve", 100, 1), new Benchmark("Storage", 100, 1), new Benchmark("Towers", 100, 1),
            new Benchmark("Richards", 10, 1), new Benchmark("DeltaBlue", 2000, 1), new Benchmark("Json", 10, 1),
            new Benchmark("CD", 10, 2), new Benchmark("Havlak", 1, 1));

    private AreWeFastYet() {}

    /** The Examples/AreWeFastYet folder of a SOM-st/SOM checkout, given the checkout or the folder. */
    public static Path folder(Path path) {
        Path dir = Files.isDirectory(path.resolve("Examples/AreWeFastYet")) ? path.resolve("Examples/AreWeFastYet") : path;
        if (!Files.isRegularFile(dir.resolve("Harness.som")) || !Files.isDirectory(dir.resolve("Core")))
            throw new UsageException("--awfy: " + path + " is neither a SOM-st/SOM checkout nor its Examples/AreWeFastYet folder");
        return dir;
    }

    /** The AWFY folders, then the checkout's Smalltalk library if there is one (AWFY's Vector must win). */
    public static List<Path> classPath(Path folder) {
        List<Path> cp = new ArrayList<>(List.of(folder));
        for (String sub : List.of("Core", "CD", "DeltaBlue", "Havlak", "Json", "NBody", "Richards")) cp.add(folder.resolve(sub));
        Path library = folder.resolve("../../Smalltalk").normalize();
        if (Files.isDirectory(library)) cp.add(library);
        return cp;
    }

    /**
     * NBody verifies only at 1 and 250000 inner iterations in SOM-st/SOM; PEERS.md's 10000 needs
     * its result added to a scratch copy.
     */
    public static boolean nbodyVerifiesAt10000(Path folder) {
        try {
            return Files.readString(folder.resolve("NBody/NBody.som")).contains("innerIterations = 10000");
        } catch (IOException e) {
            return false;
        }
    }
}
