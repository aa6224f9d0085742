package dev.lemming.interpreter.testing;

import dev.lemming.interpreter.VM;
import dev.lemming.memory.HeapConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SOM programs that state what the VM must do in their header comment — the lang_tester format
 * of SOM-st/SOM's IntegrationTests, also used by Lemming's own tests in tests/som:
 * <pre>
 * "
 * VM:
 *   status: success | error | N
 *   custom_classpath: dir:dir        (optional; "./core-lib/" is the SOM checkout)
 *   stdout:
 *     expected lines ("..." matches any lines; a line starting or ending in "..." matches the rest)
 *   stderr:
 *     ...
 * "
 * </pre>
 * Each program runs in a fresh VM in this JVM on a thread of its own, with a time limit.
 */
public final class LangTest {
    private LangTest() {}

    public record Expectation(String status, List<String> stdout, List<String> stderr, List<String> customClassPath) {}

    public record Outcome(int code, String out, String err) {}

    public static boolean isTest(Path p) {
        try {
            String s = Files.readString(p);
            return s.startsWith("\"") && s.contains("VM:");
        } catch (IOException e) {
            return false;
        }
    }

    public static Expectation expectation(String src) {
        String header = src.substring(1, src.indexOf('"', 1));
        String status = "success";
        List<String> stdout = null, stderr = null, current = null, custom = List.of();
        for (String line : header.split("\n")) {
            String t = line.strip();
            if (t.startsWith("status:")) { status = t.substring(7).strip(); current = null; }
            else if (t.startsWith("custom_classpath:")) { custom = List.of(t.substring(17).strip().split(":")); current = null; }
            else if (t.equals("stdout:")) { stdout = new ArrayList<>(); current = stdout; }
            else if (t.equals("stderr:")) { stderr = new ArrayList<>(); current = stderr; }
            else if (t.endsWith(":") && !t.contains(" ") && line.startsWith("  ") && !line.startsWith("    ")) current = null;
            else if (current != null && !t.isEmpty()) current.add(t);
        }
        return new Expectation(status, stdout, stderr, custom);
    }

    /** Runs the class {@code test} defines, with its directory first on the class path (as `lemming run File.som`). */
    public static Outcome run(Path test, List<Path> classPath, HeapConfig heap, long timeLimitMillis) {
        return run(test, classPath, heap, timeLimitMillis, 512L << 20);
    }

    /** As above, on a VM thread of {@code threadStackBytes} (machine code uses that thread's native stack). */
    public static Outcome run(Path test, List<Path> classPath, HeapConfig heap, long timeLimitMillis, long threadStackBytes) {
        List<Path> cp = new ArrayList<>();
        cp.add(test.toAbsolutePath().getParent());
        cp.addAll(classPath);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        AtomicReference<Outcome> result = new AtomicReference<>();
        AtomicReference<VM> running = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try (PrintStream o = new PrintStream(out, true); PrintStream e = new PrintStream(err, true)) {
                try (VM vm = VM.boot(new VM.Options(cp, heap, 64L << 20, o, e))) {
                    running.set(vm);
                    int code = vm.runFile(test, List.of());
                    result.set(new Outcome(code, out.toString(), err.toString()));
                } catch (RuntimeException ex) {
                    e.println(ex.getMessage());
                    result.set(new Outcome(1, out.toString(), err.toString()));
                }
            }
        }, "lang-test", threadStackBytes);
        t.start();
        try {
            t.join(timeLimitMillis);
            if (t.isAlive() && running.get() != null) {
                running.get().interpreter.requestInterrupt();
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.get() != null ? result.get() : new Outcome(-1, out.toString(), err.toString() + "\n(did not end within the time limit)");
    }

    /** Why the outcome does not meet the expectation, or null if it does. */
    public static String check(Expectation e, Outcome o) {
        boolean statusOk = switch (e.status()) {
            case "success" -> o.code() == 0;
            case "error" -> o.code() != 0;
            default -> e.status().matches("-?\\d+") && o.code() == Integer.parseInt(e.status());
        };
        if (!statusOk) return "status " + o.code() + ", expected " + e.status() + summary(o);
        if (e.stdout() != null && !fuzzyMatch(e.stdout(), lines(o.out()))) return "stdout differs" + summary(o);
        if (e.stderr() != null && !fuzzyMatch(e.stderr(), lines(o.err()))) return "stderr differs" + summary(o);
        return null;
    }

    private static String summary(Outcome o) {
        String s = (o.out() + o.err()).strip().replace("\n", " | ");
        return s.isEmpty() ? "" : " (printed: " + (s.length() > 160 ? s.substring(0, 160) + "..." : s) + ")";
    }

    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        for (String l : s.split("\n")) if (!l.isBlank()) out.add(l.strip());
        return out;
    }

    /** Every expected line in order, "..." standing for any lines, a leading/trailing "..." for any text. */
    public static boolean fuzzyMatch(List<String> expected, List<String> actual) {
        return match(expected, 0, actual, 0);
    }

    private static boolean match(List<String> exp, int i, List<String> act, int j) {
        if (i == exp.size()) return j == act.size();
        String e = exp.get(i);
        if (e.equals("...")) {
            for (int k = j; k <= act.size(); k++) if (match(exp, i + 1, act, k)) return true;
            return false;
        }
        return j < act.size() && lineMatches(e, act.get(j)) && match(exp, i + 1, act, j + 1);
    }

    private static boolean lineMatches(String e, String a) {
        if (e.startsWith("...") && e.endsWith("...") && e.length() > 6) return a.contains(e.substring(3, e.length() - 3));
        if (e.startsWith("...")) return a.endsWith(e.substring(3));
        if (e.endsWith("...")) return a.startsWith(e.substring(0, e.length() - 3));
        return e.equals(a);
    }

    /** The test programs directly in {@code dir}, sorted by name. */
    /** The test programs anywhere under {@code dir} (tests/ holds som/ and ffi/), in path order. */
    public static List<Path> testsUnder(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".som")).filter(LangTest::isTest).sorted().toList();
        }
    }

    public static List<Path> testsIn(Path dir) throws IOException {
        try (var s = Files.list(dir)) { return s.filter(LangTest::isTest).sorted().toList(); }
    }

    /** A test's "./core-lib/" is the SOM checkout: the directory that holds IntegrationTests. */
    private static Path coreLib(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        for (Path p = d; p != null; p = p.getParent())
            if (p.getFileName() != null && p.getFileName().toString().equals("IntegrationTests")) return p.getParent();
        return d.getParent() == null ? d : d.getParent();
    }

    /** Runs every test under {@code dir}; prints failures and a closing "N passed, N failed" line. */
    public static int runAll(Path dir, List<Path> classPath, HeapConfig heap, PrintStream out) throws IOException {
        List<Path> tests = testsUnder(dir);
        Path coreLib = coreLib(dir);
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (Path t : tests) {
            Expectation e = expectation(Files.readString(t));
            // a custom class path replaces the given one: it names the whole path, library included
            List<Path> cp = e.customClassPath().isEmpty() ? classPath
                    : e.customClassPath().stream().map(entry -> coreLib.resolve(entry.replaceFirst("^\\./core-lib/?", ""))).toList();
            String why = check(e, run(t, cp, heap, 30_000));
            if (why == null) passed++;
            else failures.add(t + ": " + why);
        }
        for (String f : failures) out.println("FAIL " + f);
        out.printf("%d passed, %d failed%n", passed, failures.size());
        return failures.isEmpty() ? 0 : 1;
    }
}
