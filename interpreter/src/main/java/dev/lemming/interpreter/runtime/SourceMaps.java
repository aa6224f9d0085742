package dev.lemming.interpreter.runtime;

import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.lemming.interpreter.runtime.ObjectModel.*;

/**
 * Where each method's bytecodes came from (file and line), carried through an image so that
 * backtraces of a started image name their lines too. In a session they live in
 * {@link Universe#sourceInfo}, a Java map; while an image is written they are also a heap Array
 * in the special objects: method, file (a String), lines (a ByteArray of little-endian ints:
 * the number of bytecodes, then pairs of the first bytecode of a run of one line and that
 * line), three slots a method.
 * Only methods reachable from a class are written: the map may still hold addresses of methods
 * a full GC has freed, which must not become references. A started image keeps its Array until
 * the first backtrace (or snapshot) needs it: decoding takes some 15 ms for the Are We Fast Yet
 * classes, which a start should not pay for a backtrace it may never print.
 */
public final class SourceMaps {
    private SourceMaps() {}

    /** Runs {@code write} (an image being written) with the source map in the special objects. */
    public static void writeWith(Universe u, Runnable write) {
        restore(u); // a started image's own methods keep their lines in the next image
        u.heap.setSpecialObject(SPECIAL_SOURCE_MAP, build(u));
        try {
            write.run();
        } finally {
            u.heap.setSpecialObject(SPECIAL_SOURCE_MAP, u.nil);
        }
    }

    /** A started image's source map, if not yet decoded, into {@link Universe#sourceInfo}. */
    static void restore(Universe u) {
        long map = u.heap.specialObject(SPECIAL_SOURCE_MAP);
        if (map == u.nil) return; // an image written before source maps were kept
        Map<Long, String> files = new HashMap<>();
        for (long i = 0, n = u.heap.numSlots(map); i + 2 < n; i += 3) {
            long method = u.heap.fetch(map, i), file = u.heap.fetch(map, i + 1), lines = u.heap.fetch(map, i + 2);
            if (method == u.nil) continue;
            u.sourceInfo.put(method, new MethodInstaller.SourceInfo(files.computeIfAbsent(file, u::stringValue), decode(u.bytes(lines))));
        }
        u.heap.setSpecialObject(SPECIAL_SOURCE_MAP, u.nil);
    }

    private static long build(Universe u) {
        List<Long> methods = new ArrayList<>();
        for (int i = 1, n = u.heap.classTableSize(); i < n; i++) {
            long cls = u.heap.classAt(i);
            if (!u.isClass(cls)) continue;
            long all = u.heap.fetch(cls, CLASS_METHODS);
            for (long k = 0, count = u.heap.numSlots(all); k < count; k++) collect(u, u.heap.fetch(all, k), methods);
        }
        try (var s = u.heap.scope()) {
            Handle map = u.heap.handle(u.newArray(3L * methods.size()));
            Map<String, Long> fileSlot = new HashMap<>(); // a file's String is made once, then read back from its first slot
            for (int i = 0; i < methods.size(); i++) {
                long method = methods.get(i);
                MethodInstaller.SourceInfo info = u.sourceInfo.get(method);
                String name = info.file() == null ? "" : info.file();
                Long slot = fileSlot.get(name);
                long file = slot != null ? u.heap.fetch(map.get(), slot) : u.newString(name);
                if (slot == null) fileSlot.put(name, 3L * i + 1);
                u.heap.store(map, 3L * i + 1, file);
                u.heap.store(map, 3L * i + 2, u.newBytes(BYTE_ARRAY, encode(info.lines())));
                u.heap.store(map, 3L * i, method); // methods are pinned: the address taken above still holds
            }
            return map.get();
        }
    }

    /** The method and the blocks in its literals, those the session has source positions of. */
    private static void collect(Universe u, long method, List<Long> into) {
        if (!Tags.isPointer(method) || method == u.nil) return;
        int cls = u.heap.classIndexOf(method);
        if (cls != METHOD && cls != PRIMITIVE) return;
        if (u.sourceInfo.containsKey(method)) into.add(method);
        int literals = MethodHeader.numLiterals(Tags.smallIntegerValue(Layout.fetch(method, 0)));
        for (long k = MethodHeader.FIRST_LITERAL; k < literals; k++) {
            long v = Layout.fetch(method, 1 + k);
            if (Tags.isPointer(v) && v != u.nil && u.heap.classIndexOf(v) == METHOD) collect(u, v, into);
        }
    }

    private static byte[] encode(int[] lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer pair = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(lines.length).array());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0 && lines[i] == lines[i - 1]) continue;
            pair.clear();
            out.writeBytes(pair.putInt(i).putInt(lines[i]).array());
        }
        return out.toByteArray();
    }

    private static int[] decode(byte[] runs) {
        ByteBuffer b = ByteBuffer.wrap(runs).order(ByteOrder.LITTLE_ENDIAN);
        int length = b.remaining() >= 4 ? b.getInt() : 0;
        int[] lines = new int[length];
        int line = 0, at = 0;
        while (b.remaining() >= 8) {
            int start = b.getInt(), next = b.getInt();
            for (; at < Math.min(start, length); at++) lines[at] = line;
            line = next;
        }
        for (; at < length; at++) lines[at] = line;
        return lines;
    }
}
