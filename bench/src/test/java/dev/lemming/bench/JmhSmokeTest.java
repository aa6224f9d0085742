package dev.lemming.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every JMH benchmark once, in this JVM, at small sizes: seconds, so they never rot. Not a
 * measurement (no fork, no warm-up); bench/README.md says how to measure.
 */
class JmhSmokeTest {
    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        Options opts = new OptionsBuilder()
                .include("dev\\.lemming\\.bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .param("n", "2000")            // CallbackBenchmark: values qsorted
                .param("megabytes", "16")      // FullGcBenchmark, ImageBenchmark
                .param("liveBytes", "65536")   // ScavengeBenchmark
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score) && score > 0, r.getParams().getBenchmark() + " scored " + score);
            ran.add(r.getParams().getBenchmark());
        }
        assertEquals(declared(), ran, "every benchmark of META-INF/BenchmarkList ran");
    }

    /** The benchmark methods the annotation processor found. */
    private static Set<String> declared() throws IOException {
        Set<String> names = new TreeSet<>();
        try (InputStream in = JmhSmokeTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                // BenchmarkListEntry lines: "JMH S len class S len generated S len method ..."
                String[] f = line.trim().split(" ");
                names.add(f[3] + "." + f[9]);
            }
        }
        return names;
    }
}
