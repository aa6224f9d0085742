package dev.lemming.jit.stencil;

import dev.lemming.jit.keystone.KeystoneWasm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stencils are assembled once: Keystone in WebAssembly takes about a second to start and to
 * assemble them all, too slow for every VM start. The result is kept in memory for the process
 * and in a file named by the hash of the stencil text ({@code $XDG_CACHE_HOME/lemming}, else
 * {@code ~/.cache/lemming}; {@code -Dlemming.stencil.cache=DIR} overrides), so a changed stencil
 * is never served stale. A damaged cache file is ignored and rewritten.
 */
public final class StencilCache {
    private StencilCache() {}

    private static final Map<String, StencilSet> loaded = new java.util.concurrent.ConcurrentHashMap<>();
    /** How the last set was obtained ("assembled in 900 ms", "read from ..."), for --jit-stats. */
    public static volatile String provenance = "";

    public static StencilSet x86_64() {
        return loaded.computeIfAbsent("x86_64", arch -> load(arch, StencilSet.source(arch)));
    }

    private static StencilSet load(String arch, String text) {
        Path file = directory().resolve("stencils-" + arch + "-" + sha256(text).substring(0, 16) + ".bin");
        try {
            if (Files.isRegularFile(file)) {
                StencilSet s = read(file, arch);
                provenance = "read from " + file;
                return s;
            }
        } catch (IOException | RuntimeException e) {
            // a damaged or foreign file: assemble again and overwrite it
        }
        long t0 = System.nanoTime();
        StencilSet set;
        try (KeystoneWasm ks = new KeystoneWasm()) {
            set = StencilSet.assemble(text, ks);
        }
        provenance = String.format("assembled by Keystone (wasm) in %.0f ms", (System.nanoTime() - t0) / 1e6);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "stencils", ".tmp");
            write(tmp, set);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // no cache directory: the next process assembles again
        }
        return set;
    }

    static Path directory() {
        String override = System.getProperty("lemming.stencil.cache");
        if (override != null) return Path.of(override);
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("lemming");
    }

    private static void write(Path file, StencilSet set) throws IOException {
        try (var out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x4C535431); // "LST1"
            List<Stencil> all = new ArrayList<>();
            set.all().forEach(all::add);
            out.writeInt(all.size());
            for (Stencil s : all) {
                out.writeUTF(s.name());
                out.writeInt(s.code().length);
                out.write(s.code());
                out.writeInt(s.holes().size());
                for (Hole h : s.holes()) { out.writeUTF(h.name()); out.writeByte(h.kind().ordinal()); out.writeInt(h.offset()); }
            }
        }
    }

    private static StencilSet read(Path file, String arch) throws IOException {
        try (var in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != 0x4C535431) throw new IOException("not a stencil cache");
            int n = in.readInt();
            Map<String, Stencil> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] code = new byte[in.readInt()];
                in.readFully(code);
                int holes = in.readInt();
                List<Hole> hs = new ArrayList<>();
                for (int h = 0; h < holes; h++) hs.add(new Hole(in.readUTF(), Hole.Kind.values()[in.readByte()], in.readInt()));
                map.put(name, new Stencil(name, code, List.copyOf(hs)));
            }
            return new StencilSet(arch.replace('_', '-'), map);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
