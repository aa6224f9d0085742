package dev.lemming.interpreter;

import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.image.ImageFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImagesTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private Run startImage(Path image, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true); PrintStream e = new PrintStream(err, true);
             VM vm = VM.fromImage(image, new VM.Options(List.of(), HeapConfig.defaults(), 64L << 20, o, e))) {
            int code = vm.runImage(List.of(args));
            return new Run(code, out.toString(), err.toString());
        }
    }

    @Test
    void aSnapshotResumesRightAfterTheCallAnsweringTrue() throws Exception {
        Path image = dir.resolve("counter.image");
        Files.writeString(dir.resolve("Counter.som"), """
                Counter = (
                    run = (
                        | total resumed |
                        total := 0.
                        1 to: 5 do: [ :i | total := total + i ].
                        resumed := system snapshot: '%s'.
                        (resumed ifTrue: [ 'resumed ' ] ifFalse: [ 'saved ' ]) print.
                        total := total * 10.
                        total println
                    )
                )
                """.formatted(image));
        ProgramRunner.Result saving = ProgramRunner.run(List.of(dir), HeapConfig.defaults(), "Counter");
        assertEquals(0, saving.exitCode(), saving.err());
        assertEquals("saved 150\n", saving.out());
        for (int i = 0; i < 2; i++) { // an image can be started as often as one likes
            Run resumed = startImage(image);
            assertEquals(0, resumed.code(), resumed.err());
            assertEquals("resumed 150\n", resumed.out());
        }
    }

    @Test
    void aSavedImageRunsItsMainClassWithTheGivenArguments() throws Exception {
        Files.writeString(dir.resolve("Greeter.som"), """
                Greeter = (
                    run: args = ( ('hello ' + (args at: 2) + ' from ' + (args at: 1)) println )
                )
                """);
        Path image = dir.resolve("greeter.image");
        try (VM vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err))) {
            vm.saveImage(image, "Greeter");
        }
        Files.delete(dir.resolve("Greeter.som")); // the image needs no sources
        Run r = startImage(image, "world");
        assertEquals(0, r.code(), r.err());
        assertEquals("hello world from Greeter\n", r.out());
    }

    @Test
    void backtracesOfAStartedImageNameFilesAndLines() throws Exception {
        // the lines are kept in the image (SourceMaps): the sources may be gone when it starts;
        // a block's frame and its home method's both have theirs, after a snapshot too
        Path saved = dir.resolve("fails.image"), snap = dir.resolve("snap.image");
        Files.writeString(dir.resolve("Fails.som"), """
                Fails = (
                    run = (
                        (system snapshot: '%s') ifTrue: [ self fail ]
                    )
                    fail = (
                        #(1 2) do: [ :x |
                            x = 2 ifTrue: [ self error: 'two' ] ]
                    )
                )
                """.formatted(snap));
        try (VM vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err))) {
            vm.saveImage(saved, "Fails");
        }
        Files.delete(dir.resolve("Fails.som"));
        Run first = startImage(saved); // runs Fails: takes the snapshot, answering false
        assertEquals(0, first.code(), first.err());
        Run resumed = startImage(snap);
        assertEquals(1, resumed.code());
        String file = dir.resolve("Fails.som").toString();
        assertTrue(resumed.err().contains("Fails>>#fail (block) (" + file + ":7)"), resumed.err());
        assertTrue(resumed.err().contains("Fails>>#fail (" + file + ":6)"), resumed.err());
        assertTrue(resumed.err().contains("Fails>>#run (" + file + ":3)"), resumed.err());
    }

    @Test
    void aSnapshotThatCannotBeWrittenIsAnErrorTheProgramCanHandle() throws Exception {
        Files.writeString(dir.resolve("plain"), "a file, so no directory can be made under it");
        Path image = dir.resolve("plain").resolve("x.image");
        Files.writeString(dir.resolve("Unwritable.som"), """
                Unwritable = (
                    run = (
                        [ system snapshot: '%s'. 'written' println ]
                            on: Error do: [ :e | ('caught: ' , e messageText) println ].
                        'still running' println
                    )
                )
                """.formatted(image));
        ProgramRunner.Result r = ProgramRunner.run(List.of(dir), HeapConfig.defaults(), "Unwritable");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("caught: cannot write image " + image), r.out());
        assertTrue(r.out().endsWith("still running\n"), r.out());
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedWithAMessage() throws Exception {
        Path bogus = dir.resolve("bogus.image");
        Files.writeString(bogus, "Hello = ( run = ( 'hi' println ) )");
        var e = assertThrows(ImageFormatException.class, () -> startImage(bogus));
        assertTrue(e.getMessage().contains("not a Lemming image"), e.getMessage());
    }
}
