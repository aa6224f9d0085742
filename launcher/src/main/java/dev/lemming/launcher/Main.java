package dev.lemming.launcher;

import dev.lemming.interpreter.compiler.SyntaxError;
import dev.lemming.interpreter.runtime.ClassLoader.LoadError;
import dev.lemming.memory.HeapException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The `lemming` command line. Runs the chosen command on a VM thread with a large stack, and
 * turns every failure into a one-line message and an exit code: a Java stack trace is shown
 * only with LEMMING_DEBUG=1.
 */
public final class Main {
    private Main() {}

    /** The VM thread's stack: deep Smalltalk recursion runs here, not on the small main stack. */
    static final long VM_STACK_BYTES = 1L << 30;

    public static void main(String[] argv) {
        int[] code = {0};
        Thread vm = new Thread(null, () -> code[0] = run(List.of(argv), System.out, System.err), "lemming-vm", VM_STACK_BYTES);
        vm.start();
        try {
            vm.join();
        } catch (InterruptedException e) {
            code[0] = 130;
        }
        System.out.flush();
        System.exit(code[0]);
    }

    static Map<String, Command> commands() {
        Map<String, Command> all = new TreeMap<>();
        for (Command c : List.of(new HeapDemoCommand(), new ReplayGcCommand(), new RunCommand(), new ImageCommand(), new IntegrationTestsCommand("integration-tests"), new IntegrationTestsCommand("test"), new DisasmCommand())) all.put(c.name(), c);
        for (Command c : ServiceLoader.load(Command.class)) all.put(c.name(), c);
        return all;
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(argv);
        try {
            if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
                usage(out);
                return args.isEmpty() ? 2 : 0;
            }
            JitOptions.parse(args);
            Map<String, Command> commands = commands();
            Command c = commands.get(args.get(0));
            if (c == null) throw new UsageException("unknown command '" + args.get(0) + "' (lemming help lists them)");
            return c.run(args.subList(1, args.size()), out, err);
        } catch (UsageException e) {
            err.println("lemming: " + e.getMessage());
            return 2;
        } catch (HeapException e) {
            err.println("lemming: " + e.getMessage());
            debug(e, err);
            return 1;
        } catch (LoadError e) {
            // a program that cannot be loaded where no run prints it (image save compiles outside a run)
            err.println("lemming: " + e.getMessage());
            return 1;
        } catch (SyntaxError e) {
            err.println(e.getMessage()); // file:line:column: message, the line and a caret
            return 1;
        } catch (StackOverflowError e) {
            err.println("lemming: the VM itself ran out of stack (this is a bug in Lemming)");
            debug(e, err);
            return 70;
        } catch (Throwable e) {
            err.println("lemming: internal error: " + e + " (this is a bug in Lemming; LEMMING_DEBUG=1 shows the Java stack)");
            debug(e, err);
            return 70;
        }
    }

    private static void debug(Throwable e, PrintStream err) {
        if (System.getenv("LEMMING_DEBUG") != null) e.printStackTrace(err);
    }

    private static void usage(PrintStream out) {
        out.println("usage: lemming <command> [options] [arguments]");
        out.println();
        for (Command c : commands().values()) out.printf("  %-18s %s%n", c.name(), c.summary());
        out.println();
        out.println("heap options (any command): --verify-heap  --gc-torture[=N]  --lemming[=DUMP-DIR]  --ffi-check  --gc-stats");
        out.println("                            --eden=SIZE  --max-heap=SIZE  --segment=SIZE   (SIZE like 64m, 2g)");
        out.println("                            --compaction-buffer=SLOTS (objects one compaction pass may move)");
        out.println("JIT options (any command):  --jit=on|off  --jit-threshold=N  --jit-stats  --jit-perf-map (for perf: /tmp/perf-PID.map)");
        out.println("LEMMING_DEBUG=1 shows Java stack traces of internal errors.");
    }


}
