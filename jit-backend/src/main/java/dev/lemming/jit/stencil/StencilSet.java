package dev.lemming.jit.stencil;

import dev.lemming.jit.asm.Assembler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stencils of one architecture, read from their assembly text (a resource, one
 * {@code ## name} section per stencil) and assembled in a single assembler call: Keystone in
 * WebAssembly costs milliseconds per call, so one call for all of them, with 8-byte markers
 * between stencils to split the result. Holes are written with unique magic values that are
 * found again in the bytes; a hole that is not found exactly once is an error here, not a
 * mis-patched method later.
 */
public final class StencilSet {
    private static final long MARKER = 0x4C454D4D494E4700L; // "LEMMING\0" + stencil number
    private static final int MAGIC32 = 0x7A5A0000;
    private static final long MAGIC64 = 0x5A5A5A5A7A7A0000L;
    private static final Map<String, Integer> CC = Map.ofEntries(
            Map.entry("o", 0x80), Map.entry("no", 0x81), Map.entry("b", 0x82), Map.entry("ae", 0x83),
            Map.entry("e", 0x84), Map.entry("ne", 0x85), Map.entry("be", 0x86), Map.entry("a", 0x87),
            Map.entry("s", 0x88), Map.entry("ns", 0x89),
            Map.entry("l", 0x8c), Map.entry("ge", 0x8d), Map.entry("le", 0x8e), Map.entry("g", 0x8f));
    private static final Pattern HOLE = Pattern.compile("\\{(D|Q|J|JCC:(\\w+)):(\\w+)}");

    public final String architecture;
    private final Map<String, Stencil> stencils;

    StencilSet(String architecture, Map<String, Stencil> stencils) {
        this.architecture = architecture;
        this.stencils = stencils;
    }

    public Stencil get(String name) {
        Stencil s = stencils.get(name);
        if (s == null) throw new IllegalArgumentException("no stencil named " + name + " for " + architecture);
        return s;
    }

    public Iterable<Stencil> all() { return stencils.values(); }

    /** The stencil resource's text (its hash names the cache file). */
    public static String source(String architecture) {
        try (InputStream in = StencilSet.class.getResourceAsStream(architecture + ".stencils")) {
            if (in == null) throw new IllegalArgumentException("no stencils for " + architecture);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Assembles every stencil of {@code text} in one call of {@code asm}. */
    public static StencilSet assemble(String text, Assembler asm) {
        List<Section> sections = sections(text);
        StringBuilder all = new StringBuilder();
        List<List<Hole>> pending = new ArrayList<>();
        List<List<Long>> magics = new ArrayList<>();
        int counter = 0;
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            all.append(".quad 0x").append(Long.toHexString(MARKER + i)).append('\n');
            List<Long> magic = new ArrayList<>();
            List<Hole> holes = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (String line : s.body.split("\n")) {
                line = line.replaceAll("%(\\w+)", s.name + "_$1");
                Matcher m = HOLE.matcher(line);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String kind = m.group(1), name = m.group(3);
                    String replacement;
                    counter++;
                    if (kind.equals("Q")) {
                        long v = MAGIC64 + counter;
                        magic.add(v);
                        holes.add(new Hole(name, Hole.Kind.ABS64, -1));
                        replacement = "0x" + Long.toHexString(v);
                    } else {
                        long v = MAGIC32 + counter;
                        magic.add(v);
                        if (kind.equals("D")) {
                            holes.add(new Hole(name, Hole.Kind.ABS32, -1));
                            replacement = "0x" + Long.toHexString(v);
                        } else {
                            holes.add(new Hole(name, Hole.Kind.REL32, -1));
                            String opcode = kind.equals("J") ? "0xe9" : "0x0f, 0x" + Integer.toHexString(cc(m.group(2), s.name));
                            replacement = ".byte " + opcode + "\n    .long 0x" + Long.toHexString(v);
                        }
                    }
                    m.appendReplacement(out, Matcher.quoteReplacement(replacement));
                }
                m.appendTail(out);
                body.append(out).append('\n');
            }
            all.append(body);
            pending.add(holes);
            magics.add(magic);
        }
        all.append(".quad 0x").append(Long.toHexString(MARKER + sections.size())).append('\n');
        byte[] code = asm.assemble(all.toString(), 0);

        Map<String, Stencil> result = new LinkedHashMap<>();
        int at = 0;
        for (int i = 0; i < sections.size(); i++) {
            int start = find(code, MARKER + i, 8, at, code.length) + 8;
            int end = find(code, MARKER + i + 1, 8, start, code.length);
            at = end;
            byte[] bytes = java.util.Arrays.copyOfRange(code, start, end);
            Section s = sections.get(i);
            List<Hole> holes = new ArrayList<>();
            List<Long> values = magics.get(i);
            for (int h = 0; h < pending.get(i).size(); h++) {
                Hole hole = pending.get(i).get(h);
                long v = values.get(h);
                int width = hole.kind() == Hole.Kind.ABS64 ? 8 : 4;
                int off = find(bytes, v, width, 0, bytes.length);
                if (off < 0 || find(bytes, v, width, off + 1, bytes.length) >= 0)
                    throw new IllegalStateException("stencil " + s.name + ": hole " + hole.name() + " is not in its bytes exactly once");
                holes.add(new Hole(hole.name(), hole.kind(), off));
            }
            result.put(s.name, new Stencil(s.name, bytes, List.copyOf(holes)));
        }
        return new StencilSet(asm.architecture(), result);
    }

    private static int cc(String cc, String stencil) {
        Integer op = CC.get(cc);
        if (op == null) throw new IllegalArgumentException("stencil " + stencil + ": unknown condition " + cc);
        return op;
    }

    /** The offset of the little-endian {@code width}-byte value in code[from, to), or -1. */
    private static int find(byte[] code, long value, int width, int from, int to) {
        outer:
        for (int i = from; i + width <= to; i++) {
            for (int b = 0; b < width; b++) if (code[i + b] != (byte) (value >>> (8 * b))) continue outer;
            return i;
        }
        return -1;
    }

    private record Section(String name, String body) {}

    /**
     * Splits the text into stencils; {@code ## name key=a,b} makes one variant name_a, name_b ...
     * with {key} replaced (cc=l,g for conditions, to=rax,rcx for the register a push goes through).
     */
    static List<Section> sections(String text) {
        List<Section> out = new ArrayList<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : (text + "\n## \n").split("\n")) {
            if (line.startsWith("## ")) {
                if (name != null) expand(name, body.toString(), out);
                name = line.substring(3).trim();
                body.setLength(0);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    private static void expand(String header, String body, List<Section> out) {
        String[] parts = header.split("\\s+");
        if (parts.length == 1) { out.add(new Section(parts[0], body)); return; }
        int eq = parts[1].indexOf('=');
        if (parts.length > 2 || eq <= 0) throw new IllegalArgumentException("bad stencil header: " + header);
        String key = "{" + parts[1].substring(0, eq) + "}";
        for (String v : parts[1].substring(eq + 1).split(",")) out.add(new Section(parts[0] + "_" + v, body.replace(key, v)));
    }
}
