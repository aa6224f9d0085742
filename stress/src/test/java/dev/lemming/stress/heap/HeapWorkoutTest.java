package dev.lemming.stress.heap;

import dev.lemming.memory.HeapConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The short form of `lemming stress heap-workout`: a few seeds per check mode. */
class HeapWorkoutTest {
    @TempDir static Path dir;

    static Stream<Arguments> seeds() {
        HeapConfig plain = HeapConfig.defaults();
        return Stream.concat(
                LongStream.rangeClosed(1, 24).mapToObj(s -> Arguments.of(s, "plain", plain.withVerifyHeap(true))),
                Stream.concat(
                        LongStream.rangeClosed(101, 106).mapToObj(s -> Arguments.of(s, "lemming", plain.withLemming(true, dir))),
                        LongStream.rangeClosed(201, 204).mapToObj(s -> Arguments.of(s, "gc-torture", plain.withGcTorture(true, 50)))));
    }

    @ParameterizedTest(name = "seed {0} ({1})")
    @MethodSource("seeds")
    void workoutMatchesTheModelAfterEveryCollection(long seed, String mode, HeapConfig modes) {
        int steps = mode.equals("gc-torture") ? 600 : 2500;
        HeapWorkout.Result r = HeapWorkout.run(seed, new HeapWorkout.Options(steps, WorkoutConfigs.forSeed(seed, modes), dir));
        assertTrue(r.passed(), r.failure());
        assertTrue(r.checks() > 0, "the model was checked");
    }
}
