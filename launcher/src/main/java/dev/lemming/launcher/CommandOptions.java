package dev.lemming.launcher;

import java.util.List;

/** Options of the form `--name VALUE` or `--name=VALUE`, taken out of a command's arguments. */
public final class CommandOptions {
    private CommandOptions() {}

    /** Removes the first `name VALUE` or `name=VALUE` from {@code args}; answers VALUE, or null when absent. */
    public static String take(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(name)) {
                if (i + 1 >= args.size()) throw new UsageException(name + " needs a value");
                args.remove(i);
                return args.remove(i);
            }
            if (a.startsWith(name + "=")) {
                args.remove(i);
                return a.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** {@link #take} as a number; {@code dflt} when absent. */
    public static int takeInt(List<String> args, String name, int dflt) {
        String v = take(args, name);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, not '" + v + "'");
        }
    }
}
