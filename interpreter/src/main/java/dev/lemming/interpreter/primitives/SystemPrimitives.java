package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Exit;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.memory.object.Tags;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;
import static dev.lemming.interpreter.runtime.ObjectModel.SYMBOL;

/** System: globals, class loading, printing, time, exit, collection. */
public final class SystemPrimitives {
    private SystemPrimitives() {}

    public static void install(PrimitiveSet p, PrintStream out, PrintStream err, long startNanos) {
        p.define("System", "global:", (in, n) -> {
            long v = in.u.global(symbol(in, arg(in, n, 0)));
            return v == 0 ? in.u.nil : v;
        });
        p.define("System", "global:put:", (in, n) -> {
            long v = arg(in, n, 1);
            in.u.setGlobal(symbol(in, arg(in, n, 0)), v);
            return receiver(in, n); // as SOM's other VMs
        });
        p.define("System", "hasGlobal:", (in, n) -> in.u.bool(in.u.hasGlobal(symbol(in, arg(in, n, 0)))));
        p.define("System", "load:", (in, n) -> {
            long sym = symbol(in, arg(in, n, 0));
            long existing = in.u.global(sym);
            if (existing != 0) return existing;
            long cls = in.loader.load(in.u.stringValue(sym));
            in.flushCaches();
            return cls == 0 ? in.u.nil : cls;
        });
        p.define("System", "loadFile:", (in, n) -> {
            String name = Args.string(in, arg(in, n, 0), "the file name");
            try {
                return in.u.newString(Files.readString(Path.of(name)));
            } catch (IOException e) {
                return in.u.nil;
            }
        });
        p.define("System", "exit:", (in, n) -> {
            long code = arg(in, n, 0);
            if (in.u.isInteger(code) && !Tags.isSmallInteger(code)) throw new PrimitiveFailure("Domain error."); // as the IntegrationTests say
            if (!Tags.isSmallInteger(code)) throw Args.wrongType(in, "Int", code);
            out.flush();
            throw new Exit((int) Tags.smallIntegerValue(code));
        });
        p.define("System", "printString:", (in, n) -> {
            if (!in.u.isString(arg(in, n, 0))) throw Args.wrongType(in, "String_", arg(in, n, 0));
            out.print(in.u.stringValue(arg(in, n, 0)));
            return receiver(in, n);
        });
        p.define("System", "printNewline", (in, n) -> { out.println(); return receiver(in, n); });
        p.define("System", "errorPrint:", (in, n) -> { out.flush(); err.print(Args.string(in, arg(in, n, 0), "errorPrint:'s argument")); return receiver(in, n); });
        p.define("System", "errorPrintln:", (in, n) -> { out.flush(); err.println(Args.string(in, arg(in, n, 0), "errorPrintln:'s argument")); return receiver(in, n); });
        p.define("System", "printStackTrace", (in, n) -> { out.flush(); err.print("Traceback (innermost call first):\n" + in.backtrace()); return receiver(in, n); });
        p.define("System", "time", (in, n) -> Tags.smallInteger((System.nanoTime() - startNanos) / 1_000_000));
        p.define("System", "ticks", (in, n) -> Tags.smallInteger((System.nanoTime() - startNanos) / 1_000));
        p.define("System", "fullGC", (in, n) -> { in.heap.fullGC(); return in.u.trueObject; });
        p.define("System", "snapshot:", (in, n) -> {
            String path = Args.string(in, arg(in, n, 0), "the image file name");
            out.flush();
            return in.snapshot(Path.of(path), n);
        });
    }

    private static long symbol(dev.lemming.interpreter.exec.Interpreter in, long v) {
        if (in.heap.classIndexOf(v) != SYMBOL) throw new PrimitiveFailure(in.expectedInstanceOf("Symbol", v)); // a String too, as the other SOMs
        return v;
    }
}
