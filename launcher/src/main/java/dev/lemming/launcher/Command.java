package dev.lemming.launcher;

import java.io.PrintStream;
import java.util.List;

/**
 * A `lemming` subcommand contributed by a module that depends on the launcher (stress, bench),
 * found through {@link java.util.ServiceLoader}.
 */
public interface Command {
    /** The word after `lemming`. */
    String name();

    /** One line for `lemming help`. */
    String summary();

    /** Runs the command; answers the process exit code. Errors for the user go to {@code err}. */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
