package dev.lemming.stress.heap;

import dev.lemming.memory.Heap;
import dev.lemming.memory.HeapConfig;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.image.ImageReader;
import dev.lemming.memory.image.ImageWriter;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A randomized workout of the object memory. One seed drives random allocation (small, large,
 * overflow-sized, byte objects), linking, unlinking, old-to-young stores, pin/unpin,
 * scavenges, full collections and image round trips. The same graph is kept as plain Java
 * objects, and after every collection the heap is walked from its roots and compared with that
 * model: structure, contents, sharing, and the addresses of pinned objects.
 */
public final class HeapWorkout {
    /** The heap's root array lives in this special-objects slot, so it survives images. */
    static final int ROOT_SLOT = 40;
    static final int ROOTS = 24;

    public record Options(int steps, HeapConfig config, Path imageDirectory) {}

    public record Result(long seed, int steps, int collections, int imageRoundTrips, int checks, String failure) {
        public boolean passed() { return failure == null; }
    }

    /** A model object: a pointer object with fields, or a byte object with a payload. */
    private static final class Node {
        final int id;
        final Object[] fields;   // Node, Long (SmallInteger) or null (nil); null for byte objects
        final byte[] bytes;      // payload of a byte object
        boolean pinned;
        long pinnedAt;

        Node(int id, int nfields) { this.id = id; this.fields = new Object[nfields]; this.bytes = null; }
        Node(int id, byte[] bytes) { this.id = id; this.fields = null; this.bytes = bytes; }
        boolean isBytes() { return bytes != null; }
    }

    private final long seed;
    private final Options options;
    private final Random rnd;
    private Heap heap;
    private int nodeClass, bytesClass;
    private final Node[] roots = new Node[ROOTS];
    private final List<Node> pinnedNodes = new ArrayList<>();
    private int nextId = 1;
    private int collections, roundTrips, checks, lastOp;
    /** After an image round trip pinned objects may have been relocated with the whole heap. */
    private boolean addressesMayHaveChanged;

    private HeapWorkout(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.rnd = new Random(seed);
    }

    public static Result run(long seed, Options options) {
        HeapWorkout w = new HeapWorkout(seed, options);
        int step = 0;
        try {
            w.setUp();
            for (; step < options.steps(); step++) w.step();
            w.collect(true);
            return new Result(seed, step, w.collections, w.roundTrips, w.checks, null);
        } catch (RuntimeException | AssertionError e) {
            return new Result(seed, step, w.collections, w.roundTrips, w.checks,
                    "seed " + seed + ", step " + step + " (op " + w.lastOp + "): " + e.getMessage());
        } finally {
            if (w.heap != null) w.heap.close();
        }
    }

    private void setUp() {
        heap = Heap.create(options.config());
        nodeClass = registerStandInClass();
        bytesClass = registerStandInClass();
        long rootArray = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, ROOTS);
        RawMemory.fillLongs(Layout.slotAddress(rootArray, 0), ROOTS, heap.nil());
        heap.setSpecialObject(ROOT_SLOT, rootArray);
    }

    private int registerStandInClass() {
        long cls = heap.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, 1);
        Layout.storeRaw(cls, 0, heap.nil());
        return heap.registerClass(cls);
    }

    private long rootArray() { return heap.specialObject(ROOT_SLOT); }

    /** -Dlemming.workout.verifyEachStep=true: verify after every step, to find the step that breaks the heap. */
    private static final boolean VERIFY_EACH_STEP = Boolean.getBoolean("lemming.workout.verifyEachStep");

    private void step() {
        if (VERIFY_EACH_STEP) heap.verify("before a step");
        int r = rnd.nextInt(1000);
        lastOp = r;
        if (r < 450) allocate();
        else if (r < 700) link();
        else if (r < 800) unlink();
        else if (r < 850) pin();
        else if (r < 870) unpin();
        else if (r < 950) storeImmediate();
        else if (r < 985) collect(false);
        else if (r < 997) collect(true);
        else imageRoundTrip();
    }

    // ------------------------------------------------------------------ mutations

    private void allocate() {
        Node n;
        long obj;
        int kind = rnd.nextInt(100);
        if (kind < 25) {
            byte[] payload = new byte[4 + rnd.nextInt(kind < 2 ? 40_000 : 60)];
            n = new Node(nextId++, payload);
            putInt(payload, n.id);
            for (int i = 4; i < payload.length; i++) payload[i] = (byte) rnd.nextInt();
            obj = heap.allocateBytes(bytesClass, payload.length);
            RawMemory.slice(Layout.firstByteAddress(obj), payload.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(payload));
        } else {
            int nfields = kind < 28 ? 255 + rnd.nextInt(300) : kind < 29 ? 20_000 + rnd.nextInt(20_000) : rnd.nextInt(9);
            n = new Node(nextId++, nfields);
            obj = heap.allocatePointers(nodeClass, Format.FIXED_POINTERS, 1 + nfields);
            heap.store(obj, 0, Tags.smallInteger(n.id));
        }
        try (var s = heap.scope()) {
            Handle h = heap.handle(obj);
            // the walk happens after the allocation: addresses found before it could be stale
            attach(n, h.get());
        }
    }

    /** Stores {@code node} (at heap address {@code obj}) into a root or a field of a reachable node. */
    private void attach(Node node, long obj) {
        Target t = randomTarget();
        if (t == null) {
            int i = rnd.nextInt(ROOTS);
            roots[i] = node;
            heap.store(rootArray(), i, obj);
        } else {
            t.node.fields[t.field] = node;
            heap.store(t.address, 1 + t.field, obj);
        }
    }

    private record Target(Node node, long address, int field) {}
    private record Found(Node node, long address) {}

    /** A random reachable node and its current address, by a random walk from a random root. */
    private Found randomNode() {
        int start = rnd.nextInt(ROOTS);
        for (int k = 0; k < ROOTS; k++) {
            int i = (start + k) % ROOTS;
            if (roots[i] == null) continue;
            Node n = roots[i];
            long a = heap.fetch(rootArray(), i);
            for (int depth = rnd.nextInt(8); depth > 0 && !n.isBytes() && n.fields.length > 0; depth--) {
                int f = rnd.nextInt(n.fields.length);
                if (!(n.fields[f] instanceof Node next)) break;
                n = next;
                a = heap.fetch(a, 1 + f);
            }
            checkIdentity(n, a);
            return new Found(n, a);
        }
        return null;
    }

    private Target randomTarget() {
        Found f = randomNode();
        if (f == null || f.node.isBytes() || f.node.fields.length == 0 || rnd.nextInt(5) == 0) return null;
        return new Target(f.node, f.address, rnd.nextInt(f.node.fields.length));
    }

    private void link() {
        Found src = randomNode();
        Target t = randomTarget();
        if (src == null || t == null) return;
        t.node.fields[t.field] = src.node;
        heap.store(t.address, 1 + t.field, src.address);
    }

    private void unlink() {
        if (rnd.nextBoolean()) {
            int i = rnd.nextInt(ROOTS);
            roots[i] = null;
            heap.store(rootArray(), i, heap.nil());
        } else {
            Target t = randomTarget();
            if (t == null) return;
            t.node.fields[t.field] = null;
            heap.store(t.address, 1 + t.field, heap.nil());
        }
    }

    private void storeImmediate() {
        Target t = randomTarget();
        if (t == null) return;
        long v = rnd.nextLong() >> 4;
        t.node.fields[t.field] = v;
        heap.store(t.address, 1 + t.field, Tags.smallInteger(v));
    }

    private void pin() {
        Found f = randomNode();
        if (f == null || f.node.pinned) return;
        long at = heap.pin(f.address);
        f.node.pinned = true;
        f.node.pinnedAt = at;
        pinnedNodes.add(f.node);
    }

    private void unpin() {
        if (pinnedNodes.isEmpty()) return;
        Node n = pinnedNodes.get(rnd.nextInt(pinnedNodes.size()));
        if (!reachable().contains(n)) return; // a dead pinned object may already be gone
        heap.unpin(n.pinnedAt);
        n.pinned = false;
        pinnedNodes.remove(n);
    }

    private void collect(boolean full) {
        if (full) heap.fullGC(); else heap.scavenge();
        collections++;
        check();
    }

    private void imageRoundTrip() {
        Path image = options.imageDirectory().resolve("workout-" + seed + ".image");
        try {
            ImageWriter.save(heap, image);
            heap.close();
            heap = null;
            heap = ImageReader.load(image, options.config(), rnd.nextBoolean()).heap();
            roundTrips++;
            addressesMayHaveChanged = true;
            check();
            addressesMayHaveChanged = false;
        } finally {
            try { Files.deleteIfExists(image); } catch (java.io.IOException ignored) { }
        }
    }

    // ------------------------------------------------------------------ checking

    private Set<Node> reachable() {
        Set<Node> seen = new HashSet<>();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        for (Node n : roots) if (n != null && seen.add(n)) todo.add(n);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n.isBytes()) continue;
            for (Object f : n.fields) if (f instanceof Node m && seen.add(m)) todo.add(m);
        }
        return seen;
    }

    private void check() {
        checks++;
        heap.verify("workout check");
        Map<Node, Long> address = new HashMap<>();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        long rootArray = rootArray();
        for (int i = 0; i < ROOTS; i++) {
            long v = heap.fetch(rootArray, i);
            if (roots[i] == null) expect(v == heap.nil(), "root " + i + " should be nil");
            else visit(roots[i], v, address, todo);
        }
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            long a = address.get(n);
            checkIdentity(n, a);
            if (n.isBytes()) continue;
            for (int f = 0; f < n.fields.length; f++) {
                long v = heap.fetch(a, 1 + f);
                Object m = n.fields[f];
                if (m == null) expect(v == heap.nil(), "field " + f + " of node " + n.id + " should be nil");
                else if (m instanceof Long l) expect(v == Tags.smallInteger(l), "field " + f + " of node " + n.id + " should be " + l);
                else visit((Node) m, v, address, todo);
            }
        }
        // pinned objects that died are freed; forget them
        pinnedNodes.removeIf(n -> !address.containsKey(n));
    }

    private void visit(Node n, long v, Map<Node, Long> address, ArrayDeque<Node> todo) {
        Long known = address.get(n);
        if (known != null) {
            expect(known == v, "node " + n.id + " is shared in the model but has two copies in the heap");
            return;
        }
        address.put(n, v);
        todo.add(n);
    }

    private void checkIdentity(Node n, long a) {
        expect(Tags.isPointer(a) && a != heap.nil(), "node " + n.id + " is not an object in the heap");
        if (n.isBytes()) {
            expect(heap.classIndexOf(a) == bytesClass, "node " + n.id + " has the wrong class");
            expect(Layout.byteSize(a) == n.bytes.length, "byte node " + n.id + " has the wrong size");
            byte[] actual = RawMemory.slice(Layout.firstByteAddress(a), n.bytes.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            expect(java.util.Arrays.equals(actual, n.bytes), "byte node " + n.id + " has the wrong contents");
        } else {
            expect(heap.classIndexOf(a) == nodeClass, "node " + n.id + " has the wrong class");
            expect(heap.numSlots(a) == 1 + n.fields.length, "node " + n.id + " has the wrong size");
            expect(heap.fetch(a, 0) == Tags.smallInteger(n.id), "object found where node " + n.id + " should be");
        }
        if (n.pinned && addressesMayHaveChanged) n.pinnedAt = a;
        if (n.pinned) {
            expect(a == n.pinnedAt, "pinned node " + n.id + " moved");
            expect(heap.isPinned(a), "pinned node " + n.id + " lost its pinned bit");
        }
    }

    private static void expect(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    private static void putInt(byte[] b, int v) {
        b[0] = (byte) v; b[1] = (byte) (v >> 8); b[2] = (byte) (v >> 16); b[3] = (byte) (v >> 24);
    }
}
