package dev.lemming.bench.runner;

import dev.lemming.launcher.UsageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of running a benchmark: a name and a command template. The template is split at
 * spaces (quote a part with '...' to keep its spaces) and each part has its placeholders
 * replaced: {cp} the suite's class path, {bench} the benchmark, {outer} the iterations of one
 * run (a template may write its own number instead), {inner} the inner iterations, {lemming} this Lemming's own launcher command (so a
 * Lemming configuration is a template like any peer's).
 */
public record Config(String name, String template) {

    /** The built-in configurations: Lemming with the JIT and Lemming's interpreter alone. */
    public static List<Config> lemmingDefaults() {
        return List.of(new Config("lemming-jit", "{lemming} --jit=on run -cp {cp} Harness {bench} {outer} {inner}"),
                new Config("lemming-interp", "{lemming} --jit=off run -cp {cp} Harness {bench} {outer} {inner}"));
    }

    /** NAME=TEMPLATE from the command line. */
    public static Config parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1)
            throw new UsageException("--peer needs NAME=COMMAND-TEMPLATE, for example "
                    + "'som-java=java -cp som.jar som.vm.Universe -cp {cp}:Smalltalk Harness {bench} {outer} {inner}'");
        String name = spec.substring(0, eq).trim();
        if (!name.matches("[A-Za-z0-9_.+-]+")) throw new UsageException("--peer: '" + name + "' is not a usable name (letters, digits, _ . + -)");
        Config c = new Config(name, spec.substring(eq + 1).trim());
        if (!c.template.contains("{bench}")) throw new UsageException("--peer " + name + ": the template has no {bench}");
        split(c.template);  // unbalanced quotes are reported now, not at the first run
        return c;
    }

    /** The command line for one run. */
    public List<String> command(Map<String, String> values, List<String> lemming) {
        List<String> argv = new ArrayList<>();
        for (String part : split(template)) {
            if (part.equals("{lemming}")) {
                argv.addAll(lemming);
                continue;
            }
            String s = part;
            for (var v : values.entrySet()) s = s.replace(v.getKey(), v.getValue());
            argv.add(s);
        }
        return argv;
    }

    static List<String> split(String template) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : template.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) parts.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) throw new UsageException("unbalanced quote in the command template: " + template);
        if (any) parts.add(cur.toString());
        return parts;
    }
}
