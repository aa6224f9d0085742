package dev.lemming.launcher;

import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.image.HeapDump;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** `lemming replay-gc DUMP`: runs the collection that failed its --lemming rehearsal again. */
final class ReplayGcCommand implements Command {
    @Override public String name() { return "replay-gc"; }
    @Override public String summary() { return "replay the collection saved by --lemming in a heap dump"; }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 1) throw new UsageException("usage: lemming replay-gc DUMP.image");
        HeapDump.Replay r = HeapDump.replay(Path.of(args.get(0)), HeapConfig.defaults());
        out.println("replayed a " + r.kind().name().toLowerCase() + (r.relocated() ? " (heap relocated)" : " (heap at its recorded addresses)"));
        if (r.passed()) {
            out.println("the collection succeeded and the heap verified");
            return 0;
        }
        out.println("the collection failed again: " + r.failure());
        return 1;
    }
}
