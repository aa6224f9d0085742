package dev.lemming.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LauncherTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void heapDemoRoundTripsItsHeapThroughAnImage() {
        Run r = run("heap-demo", "--verify-heap");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("(at the recorded addresses)") || r.out.contains("(relocated)"), r.out);
        assertEquals(2, r.out.split(": same").length - 1, r.out);
        assertFalse(r.out.contains("DIFFERENT"));
    }

    @Test
    void unknownCommandsAndBadOptionsAreOneLineErrors() {
        Run r = run("frobnicate");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("lemming: unknown command 'frobnicate'"), r.err);
        Run bad = run("heap-demo", "--max-heap=lots");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("is not a size"), bad.err);
        assertFalse(bad.err.contains("\tat "), "no Java stack trace");
    }

    @Test
    void replayingSomethingThatIsNotADumpSaysWhy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.image");
        Files.writeString(f, "hello");
        Run r = run("replay-gc", f.toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("not a Lemming image"), r.err);
        assertFalse(r.err.contains("\tat "));
        Run missing = run("replay-gc", dir.resolve("nope.image").toString());
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("no such image file"), missing.err);
    }

    @Test
    void disasmAfterARunShowsTheSendsThatRunSpecialized(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Warm.som"), """
                Warm = (
                  | n |
                  n = ( ^ n )
                  count = ( | s | s := 0. 1 to: 10 do: [ :i | s := s + self n ]. ^ s )
                  run = ( n := 2. 5 timesRepeat: [ self count ]. 'warm' println )
                )
                """);
        // without a run the send of #n has met no class: the generic send; after one, the
        // interpreter's cache held Warm, so n is answered inline behind a class guard
        Run cold = run("disasm", "-cp", dir.toString(), "Warm>>count");
        assertEquals(0, cold.code, cold.err);
        assertFalse(cold.out.contains("class_guard"), cold.out);
        Run warm = run("disasm", "-cp", dir.toString(), "--after", "Warm", "Warm>>count");
        assertEquals(0, warm.code, warm.err);
        assertTrue(warm.out.startsWith("; Warm>>#count"), warm.out);
        assertTrue(warm.out.contains("class_guard") && warm.out.contains("trivial_getter"), warm.out);
        assertTrue(warm.err.contains("warm"), "the program's output goes to stderr: " + warm.err);
        Run missing = run("disasm", "--after");
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("--after needs a program"), missing.err);
    }

    @Test
    void theBundledExamplesRun() {
        Run tour = run("run", "../examples/Tour.som");
        assertEquals(0, tour.code, tour.err);
        assertTrue(tour.out.startsWith("primes up to 30: 2 3 5 7 11 13 17 19 23 29\n"), tour.out);
        assertTrue(tour.out.contains("30! = 265252859812191058636308480000000\n"), tour.out);
        assertTrue(tour.out.contains("caught Division by zero.\n"), tour.out);
        assertTrue(tour.out.endsWith("first even number above 7: 12\n"), tour.out);
        Run hello = run("run", "../examples/Hello.som");
        assertEquals("Hello from Lemming\n", hello.out);
        Run sort = run("run", "../examples/Sort.som");
        assertEquals("sorted by qsort with a block: 1 3 7 19 23 42 64 88\n"
                + "a comparator that returns non-locally: gave up inside qsort\n"
                + "strlen says 7\n", sort.out, sort.err);
    }

    @Test
    void aMissingClassOrFileIsAOneLineError() {
        Run r = run("run", "NoSuchClass");
        assertEquals(1, r.code);
        assertTrue((r.out + r.err).contains("Unknown class NoSuchClass") || (r.out + r.err).contains("NoSuchClass"), r.out + r.err);
        assertFalse(r.err.contains("\tat "));
        Run f = run("run", "no/such/File.som");
        assertEquals(2, f.code);
        assertTrue(f.err.contains("no such file"), f.err);
        Run t = run("test", "no/such/Test.som");
        assertEquals(2, t.code);
        assertTrue(t.err.contains("no such file or directory: no/such/Test.som"), t.err);
        assertFalse(t.err.contains("internal error"), t.err);
    }

    @Test
    void aFileNamedOnTheCommandLineRunsTheClassItDefinesWhateverItsName(@TempDir Path dir) throws Exception {
        // as yksom (IntegrationTests' shift_right_too_big); a class looked up by name must still match its file
        Files.writeString(dir.resolve("Program.som"), "Main = ( run = ( Helper new greet ) )");
        Files.writeString(dir.resolve("Helper.som"), "Helper = ( greet = ( 'hello from Main' println ) )");
        Run r = run("run", dir.resolve("Program.som").toString());
        assertEquals(0, r.code, r.err);
        assertEquals("hello from Main\n", r.out);
        Run saved = run("image", "save", dir.resolve("p.image").toString(), dir.resolve("Program.som").toString());
        assertEquals(0, saved.code, saved.err);
        assertTrue(saved.out.contains("(main class Main)"), saved.out);
        assertEquals("hello from Main\n", run("run", dir.resolve("p.image").toString()).out);
        Files.writeString(dir.resolve("Misnamed.som"), "Other = ( )"); // after the image: image save compiles every file beside Main
        Run byName = run("run", "-cp", dir.toString(), "Misnamed");
        assertEquals(1, byName.code);
        assertTrue(byName.err.contains("defines class Other but its file name says Misnamed"), byName.err);
        Files.write(dir.resolve("Latin1.som"), "Latin1 = ( run = (\n  'caf\u00e9' println ) )".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Run latin1 = run("run", dir.resolve("Latin1.som").toString());
        assertEquals(1, latin1.code);
        assertTrue(latin1.err.contains("Latin1.som:2:7: not UTF-8 text (byte 0xe9)"), latin1.err);
        Files.writeString(dir.resolve("Broken.som"), "Broken = ( run = ( ^ ) )");
        Run syntax = run("run", dir.resolve("Broken.som").toString());
        assertEquals(1, syntax.code);
        assertTrue(syntax.err.contains("Broken.som:1:"), syntax.err);
        assertFalse(syntax.err.contains("\tat "), syntax.err);
    }

    @Test
    void imageSaveOfAProgramThatCannotBeLoadedIsAOneLineError(@TempDir Path dir) throws Exception {
        // image save compiles outside a run, so these reach the launcher itself
        Run missing = run("image", "save", dir.resolve("a.image").toString(), "-cp", dir.toString(), "NoSuchMain");
        assertEquals(1, missing.code, missing.err);
        assertTrue(missing.err.startsWith("lemming: cannot find class NoSuchMain on the class path"), missing.err);
        Files.writeString(dir.resolve("Broken.som"), "Broken = ( run = ( ^ ) )");
        Run broken = run("image", "save", dir.resolve("b.image").toString(), "-cp", dir.toString(), "Broken");
        assertEquals(1, broken.code, broken.err);
        assertTrue(broken.err.contains("Broken.som:1:"), broken.err);
        for (Run r : List.of(missing, broken)) assertFalse(r.err.contains("internal error") || r.err.contains("\tat "), r.err);
        assertFalse(Files.exists(dir.resolve("a.image")) || Files.exists(dir.resolve("b.image")));
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("help");
        assertEquals(0, r.code);
        assertTrue(r.out.contains("heap-demo") && r.out.contains("replay-gc"), r.out);
    }
}
